#pragma once
// Wording the Experiments stage's files share (one unity group: no two may define it).
#include <QObject>
#include <QString>
#include <QtMath>

namespace bertwb::ui {

// "about 40 s", "about 14 min", "about 1 h 20 min".
inline QString aboutDuration(double seconds) {
  if (seconds < 90) return QObject::tr("about %1 s").arg(qMax(1, qRound(seconds)));
  const int minutes = qRound(seconds / 60);
  if (minutes < 90) return QObject::tr("about %1 min").arg(minutes);
  return QObject::tr("about %1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

}  // namespace bertwb::ui
