#include "tasks/squad_metrics.h"

#include <utf8proc.h>

#include <algorithm>
#include <string_view>

#include "text/unicode_text.h"

namespace bertwb {
namespace {

// Python's string.punctuation: the ASCII punctuation only.
constexpr std::string_view kAsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
// The articles the script removes as whole words (after lower-casing).
constexpr std::u32string_view kArticles[] = {U"a", U"an", U"the"};
// Percent: the script reports 100 × the mean score.
constexpr double kPercent = 100.0;

// U+0130 (capital I with dot above) is the one character whose unconditional lower case is
// two characters ("i" + combining dot above, SpecialCasing.txt); Python's str.lower() uses
// it, utf8proc_tolower gives only the simple one-character mapping.
constexpr char32_t kCapitalIWithDot = 0x0130;
constexpr char32_t kCombiningDotAbove = 0x0307;

void appendPythonLower(char32_t c, std::u32string& out) {
  if (c == kCapitalIWithDot) {
    out += U'i';
    out += kCombiningDotAbove;
    return;
  }
  out += static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}

bool isAsciiPunctuation(char32_t c) {
  return c < 0x80 && kAsciiPunctuation.find(static_cast<char>(c)) != std::string_view::npos;
}

// Python's str.isspace(), which str.split() splits on: bidirectional class WS, B or S, or
// category Zs (covers \t \n \v \f \r, 0x1C–0x1F, U+0085, U+00A0, U+3000, ...).
bool isPythonWhitespace(char32_t c) {
  const auto* property = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
  return property->bidi_class == UTF8PROC_BIDI_CLASS_WS ||
         property->bidi_class == UTF8PROC_BIDI_CLASS_B ||
         property->bidi_class == UTF8PROC_BIDI_CLASS_S ||
         property->category == UTF8PROC_CATEGORY_ZS;
}

// A character of Python's Unicode \w: letters, numbers and the underscore. (Combining marks
// are not word characters there, so \b falls between a letter and its accent.)
bool isPythonWordCharacter(char32_t c) {
  if (c == U'_') return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool isArticle(std::u32string_view word) {
  return std::find(std::begin(kArticles), std::end(kArticles), word) != std::end(kArticles);
}

// re.sub(r'\b(a|an|the)\b', ' ', text): a match starts and ends at word boundaries, so it
// is exactly a maximal run of word characters that spells an article.
std::u32string replaceArticles(const std::u32string& text) {
  std::u32string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!isPythonWordCharacter(text[i])) {
      out += text[i++];
      continue;
    }
    size_t wordEnd = i;
    while (wordEnd < text.size() && isPythonWordCharacter(text[wordEnd])) ++wordEnd;
    const std::u32string_view word(text.data() + i, wordEnd - i);
    if (isArticle(word)) {
      out += U' ';
    } else {
      out.append(word);
    }
    i = wordEnd;
  }
  return out;
}

std::vector<std::string> splitOnWhitespace(const std::u32string& text) {
  std::vector<std::string> words;
  std::string word;
  for (const char32_t c : text) {
    if (isPythonWhitespace(c)) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      appendUtf8(word, c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

double questionExact(const std::vector<std::string>& goldAnswers, const std::string& predicted) {
  double best = 0;
  for (const std::string& gold : goldAnswers) best = std::max(best, exactMatch(gold, predicted));
  return best;
}

double questionF1(const std::vector<std::string>& goldAnswers, const std::string& predicted) {
  double best = 0;
  for (const std::string& gold : goldAnswers) best = std::max(best, tokenF1(gold, predicted));
  return best;
}

// Sums per-question scores into the script's totals.
class SquadAccumulator {
 public:
  void add(const QaExample& gold, const std::string& predicted) {
    // get_raw_scores: gold answers that normalise to nothing are dropped, and a question
    // left with none has the single gold answer "". HasAns is bool(qa['answers']).
    std::vector<std::string> goldAnswers;
    for (const QaAnswer& answer : gold.answers) {
      if (!answerTokens(answer.text).empty()) goldAnswers.push_back(answer.text);
    }
    if (goldAnswers.empty()) goldAnswers.push_back("");
    const double exact = questionExact(goldAnswers, predicted);
    const double f1 = questionF1(goldAnswers, predicted);
    Sums& group = gold.answers.empty() ? noAnswer_ : hasAnswer_;
    group.exact += exact;
    group.f1 += f1;
    ++group.count;
  }

  void addMissing() { ++missing_; }

  SquadScores scores() const {
    SquadScores s;
    s.total = hasAnswer_.count + noAnswer_.count;
    s.exact = percent(hasAnswer_.exact + noAnswer_.exact, s.total);
    s.f1 = percent(hasAnswer_.f1 + noAnswer_.f1, s.total);
    s.hasAnsTotal = hasAnswer_.count;
    s.hasAnsExact = percent(hasAnswer_.exact, hasAnswer_.count);
    s.hasAnsF1 = percent(hasAnswer_.f1, hasAnswer_.count);
    s.noAnsTotal = noAnswer_.count;
    s.noAnsExact = percent(noAnswer_.exact, noAnswer_.count);
    s.noAnsF1 = percent(noAnswer_.f1, noAnswer_.count);
    s.missing = missing_;
    return s;
  }

 private:
  struct Sums {
    double exact = 0;
    double f1 = 0;
    int64_t count = 0;
  };
  static double percent(double sum, int64_t count) {
    return count == 0 ? 0.0 : kPercent * sum / static_cast<double>(count);
  }
  Sums hasAnswer_;
  Sums noAnswer_;
  int64_t missing_ = 0;
};

}  // namespace

std::vector<std::string> answerTokens(const std::string& text) {
  const DecodedText decoded = decodeUtf8(text);
  std::u32string lowered;
  lowered.reserve(decoded.codepoints.size());
  for (const char32_t c : decoded.codepoints) {
    if (isAsciiPunctuation(c)) continue;  // lower() never makes or removes ASCII punctuation
    appendPythonLower(c, lowered);
  }
  return splitOnWhitespace(replaceArticles(lowered));
}

std::string normalizeAnswer(const std::string& text) {
  std::string joined;
  for (const std::string& token : answerTokens(text)) {
    if (!joined.empty()) joined += ' ';
    joined += token;
  }
  return joined;
}

double exactMatch(const std::string& gold, const std::string& predicted) {
  return normalizeAnswer(gold) == normalizeAnswer(predicted) ? 1.0 : 0.0;
}

double tokenF1(const std::string& gold, const std::string& predicted) {
  const std::vector<std::string> goldTokens = answerTokens(gold);
  const std::vector<std::string> predictedTokens = answerTokens(predicted);
  if (goldTokens.empty() || predictedTokens.empty()) {
    return goldTokens == predictedTokens ? 1.0 : 0.0;
  }
  // Counter(gold) & Counter(predicted): each token counts min(gold count, predicted count).
  std::map<std::string, int64_t> goldCounts;
  for (const std::string& token : goldTokens) ++goldCounts[token];
  int64_t common = 0;
  for (const std::string& token : predictedTokens) {
    auto found = goldCounts.find(token);
    if (found != goldCounts.end() && found->second > 0) {
      --found->second;
      ++common;
    }
  }
  if (common == 0) return 0.0;
  const double precision =
      static_cast<double>(common) / static_cast<double>(predictedTokens.size());
  const double recall = static_cast<double>(common) / static_cast<double>(goldTokens.size());
  return 2 * precision * recall / (precision + recall);
}

SquadScores squadScores(const std::vector<std::pair<QaExample, std::string>>& scored) {
  SquadAccumulator accumulator;
  for (const auto& [gold, predicted] : scored) accumulator.add(gold, predicted);
  return accumulator.scores();
}

SquadScores squadScores(const std::vector<QaExample>& gold,
                        const std::map<std::string, std::string>& predictions) {
  SquadAccumulator accumulator;
  for (const QaExample& example : gold) {
    const auto found = predictions.find(example.id);
    if (found == predictions.end()) {
      accumulator.addMissing();
    } else {
      accumulator.add(example, found->second);
    }
  }
  return accumulator.scores();
}

}  // namespace bertwb
