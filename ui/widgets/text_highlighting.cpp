#include "widgets/text_highlighting.h"

#include <QHash>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <algorithm>

namespace bertwb::ui {

int utf16OffsetOfCodePoint(const QString& text, qint64 codePoint) {
  int position = 0;
  for (qint64 seen = 0; seen < codePoint && position < text.size(); ++seen) {
    // A surrogate pair is one code point in two UTF-16 units.
    const bool pair = text.at(position).isHighSurrogate() && position + 1 < text.size() &&
                      text.at(position + 1).isLowSurrogate();
    position += pair ? 2 : 1;
  }
  return position;
}

Utf16Range utf16RangeOfCodePoints(const QString& text, qint64 start, qint64 end) {
  const int from = utf16OffsetOfCodePoint(text, std::max<qint64>(start, 0));
  const int to = utf16OffsetOfCodePoint(text, std::max(start, end));
  return {from, std::max(from, to)};
}

void showHighlightedText(QTextDocument* document, const QString& text,
                         const std::vector<HighlightSpan>& spans) {
  document->setPlainText(text);
  QTextCursor cursor(document);
  for (const HighlightSpan& span : spans) {
    const Utf16Range range = utf16RangeOfCodePoints(text, span.start, span.end);
    if (range.end <= range.start) continue;
    cursor.setPosition(range.start);
    cursor.setPosition(range.end, QTextCursor::KeepAnchor);
    QTextCharFormat format;
    format.setBackground(span.background);
    if (span.bold) format.setFontWeight(QFont::Bold);
    if (!span.toolTip.isEmpty()) format.setToolTip(span.toolTip);
    cursor.mergeCharFormat(format);
  }
}

QColor entityTypeColour(const QString& type) {
  // Pastels dark text stays readable on; one hue per CoNLL-2003 type.
  static const QHash<QString, QColor> known = {
      {QStringLiteral("PER"), QColor(0xff, 0xc9, 0x9e)},   // orange
      {QStringLiteral("LOC"), QColor(0xa8, 0xd8, 0xff)},   // blue
      {QStringLiteral("ORG"), QColor(0xb9, 0xec, 0xb0)},   // green
      {QStringLiteral("MISC"), QColor(0xe3, 0xc4, 0xff)},  // violet
  };
  const auto it = known.constFind(type.toUpper());
  if (it != known.constEnd()) return *it;
  // 137.5°: the golden angle spreads hashed hues apart.
  const int hue = static_cast<int>((qHash(type) % 360u) * 137.5) % 360;
  return QColor::fromHsv(hue, 70, 255);
}

QColor answerHighlightColour() {
  return QColor(0xff, 0xe0, 0x66);  // a marker-pen yellow
}

}  // namespace bertwb::ui
