#pragma once
// "Has the window finished changing?" for screenshots and tests: instead of sleeping a guessed
// time after showing a stage, wait until no background job runs, the predictor neither loads
// nor answers, and no debounce (single-shot) timer is about to fire, and that has held for a
// short quiet period (work that a queued call is about to start shows up within it).
#include <QObject>

namespace bertwb::ui {

// Work under `root` that will still change what it shows.
bool hasPendingWork(const QObject& root);

// Spins the event loop until `root` has had no pending work for `quietMs`; false when
// `timeoutMs` pass first.
bool waitUntilSettled(const QObject& root, int timeoutMs, int quietMs = 150);

}  // namespace bertwb::ui
