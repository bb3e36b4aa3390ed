#pragma once
// Spans that the core reports in Unicode code points (TaggedEntity, QaAnswerSpan) drawn onto
// a QTextDocument, whose positions are UTF-16 units: a character outside the Basic
// Multilingual Plane (😀) is two units there but one code point in the core, so every offset
// is converted through the text itself, never used as it is.
#include <QColor>
#include <QString>
#include <vector>

class QTextDocument;

namespace bertwb::ui {

// The UTF-16 index in `text` of code point `codePoint` (clamped to the text's ends).
int utf16OffsetOfCodePoint(const QString& text, qint64 codePoint);

struct Utf16Range {
  int start = 0, end = 0;  // [start, end) in UTF-16 units
};
// Code points [start, end) of `text` as a UTF-16 range.
Utf16Range utf16RangeOfCodePoints(const QString& text, qint64 start, qint64 end);

struct HighlightSpan {
  qint64 start = 0, end = 0;  // code points [start, end)
  QColor background;
  QString toolTip;  // shown when the mouse rests on the span
  bool bold = false;
};

// Replaces `document`'s text by `text` and paints each span's background (code point spans;
// spans out of range are clamped, empty ones skipped).
void showHighlightedText(QTextDocument* document, const QString& text,
                         const std::vector<HighlightSpan>& spans);

// One background colour per entity type: the CoNLL types get fixed, distinct pastel colours;
// any other type a stable colour derived from its name.
QColor entityTypeColour(const QString& type);
// The background that marks a QA answer.
QColor answerHighlightColour();

}  // namespace bertwb::ui
