#include "experiments/experiment_plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "util/atomic_file.h"

namespace bertwb {

const char* experimentVariantColour(size_t variant) {
  // Colour-blind-safe (Okabe-Ito), one per variant in recipe order.
  static const char* const kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                         "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return kColours[variant % std::size(kColours)];
}

namespace {

constexpr double kWidth = 720, kHeight = 420;
constexpr double kLeft = 64, kRight = 170, kTop = 36, kBottom = 52;  // margins; legend right
const char* colourOf(size_t variant) {
  return experimentVariantColour(variant);
}

std::string number(double value, int decimals = 1) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

// 0 … a round maximum above `top`, with the step between ticks.
std::pair<double, double> roundedAxis(double top) {
  if (!(top > 0)) return {1, 0.2};
  const double magnitude = std::pow(10.0, std::floor(std::log10(top)));
  for (double step : {0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0}) {
    const double tick = step * magnitude;
    if (top / tick <= 6) return {std::ceil(top / tick) * tick, tick};
  }
  return {top, top / 5};
}

class Svg {
 public:
  Svg(const std::string& title, const std::string& xLabel, const std::string& yLabel) {
    out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\""
         << kHeight << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
         << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
         << "<text x=\"" << kWidth / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">"
         << escaped(title) << "</text>\n"
         << "<text x=\"" << kLeft + plotWidth() / 2 << "\" y=\"" << kHeight - 12
         << "\" text-anchor=\"middle\">" << escaped(xLabel) << "</text>\n"
         << "<text transform=\"translate(16 " << kTop + plotHeight() / 2
         << ") rotate(-90)\" text-anchor=\"middle\">" << escaped(yLabel) << "</text>\n";
  }
  static double plotWidth() { return kWidth - kLeft - kRight; }
  static double plotHeight() { return kHeight - kTop - kBottom; }
  double y(double value, double top) const { return kTop + plotHeight() * (1 - value / top); }

  void yAxis(double top, double step) {
    for (double tick = 0; tick <= top + step / 2; tick += step) {
      const double at = y(tick, top);
      out_ << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + plotWidth() << "\" y1=\"" << at
           << "\" y2=\"" << at << "\" stroke=\"#ddd\"/>\n"
           << "<text x=\"" << kLeft - 6 << "\" y=\"" << at + 4 << "\" text-anchor=\"end\">"
           << number(tick, step >= 1 ? 0 : 1) << "</text>\n";
    }
    out_ << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft << "\" y1=\"" << kTop << "\" y2=\""
         << kTop + plotHeight() << "\" stroke=\"black\"/>\n";
  }
  void legend(size_t index, const std::string& label, const char* colour) {
    const double at = kTop + 8 + 18 * static_cast<double>(index);
    out_ << "<rect x=\"" << kWidth - kRight + 14 << "\" y=\"" << at - 9
         << "\" width=\"12\" height=\"12\" fill=\"" << colour << "\"/>\n"
         << "<text x=\"" << kWidth - kRight + 32 << "\" y=\"" << at + 1 << "\">" << escaped(label)
         << "</text>\n";
  }
  std::ostringstream& body() { return out_; }
  std::string finish() {
    out_ << "</svg>\n";
    return out_.str();
  }

 private:
  std::ostringstream out_;
};

}  // namespace

std::string lossCurvesSvg(const ExperimentRecipe& recipe, const std::string& experimentFolder) {
  // Variants with the same pre-training settings share their runs: one curve (and one legend
  // entry naming them all) per distinct pre-training.
  struct Group {
    size_t firstVariant;
    std::string firstKey;
    int sharing = 1;  // variants with this pre-training
  };
  std::vector<Group> groups;
  for (size_t v = 0; v < recipe.variants.size(); ++v) {
    if (recipe.variants[v].init != ExperimentInit::Pretrained) continue;
    const std::string key = pretrainingCellOf(recipe, v, 0).key;
    auto same = std::find_if(groups.begin(), groups.end(),
                             [&](const Group& g) { return g.firstKey == key; });
    if (same == groups.end())
      groups.push_back({v, key});
    else
      ++same->sharing;
  }
  struct Curve {
    size_t variant;
    std::vector<std::pair<int64_t, double>> points;
  };
  std::vector<Curve> curves;
  double maxLoss = 0;
  int64_t maxStep = 1;
  for (const Group& group : groups) {
    for (int seed = 0; seed < recipe.seeds; ++seed) {
      const auto result =
          readCellResult(experimentFolder, pretrainingCellOf(recipe, group.firstVariant, seed).key);
      if (!result || !result->finished || result->lossCurve.empty()) continue;
      curves.push_back({group.firstVariant, result->lossCurve});
      for (const auto& [step, loss] : result->lossCurve) {
        if (std::isfinite(loss)) maxLoss = std::max(maxLoss, loss);
        maxStep = std::max(maxStep, step);
      }
    }
  }
  if (curves.empty()) return {};
  Svg svg("Pre-training loss: " + recipe.name, "optimizer step",
          "loss (masked LM, or next token for LTR)");
  const auto [top, step] = roundedAxis(maxLoss);
  svg.yAxis(top, step);
  for (const Curve& curve : curves) {
    svg.body() << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke-opacity=\"0.8\" stroke=\""
               << colourOf(curve.variant) << "\" points=\"";
    for (const auto& [x, loss] : curve.points) {
      if (!std::isfinite(loss)) continue;
      svg.body() << kLeft + Svg::plotWidth() * static_cast<double>(x) / static_cast<double>(maxStep)
                 << "," << svg.y(loss, top) << " ";
    }
    svg.body() << "\"/>\n";
  }
  svg.body() << "<text x=\"" << kLeft + Svg::plotWidth() << "\" y=\""
             << kTop + Svg::plotHeight() + 16 << "\" text-anchor=\"end\">" << maxStep
             << "</text>\n<text x=\"" << kLeft << "\" y=\"" << kTop + Svg::plotHeight() + 16
             << "\">0</text>\n";
  for (size_t row = 0; row < groups.size(); ++row) {
    const Group& group = groups[row];
    std::string label = recipe.variants[group.firstVariant].name;
    if (label.size() > 16) label = label.substr(0, 15) + "…";  // the legend column is narrow
    if (group.sharing > 1) label += " +" + std::to_string(group.sharing - 1) + " more";
    svg.legend(row, label, colourOf(group.firstVariant));
  }
  return svg.finish();
}

std::string scoresSvg(const ExperimentResults& results, const ExperimentRecipe& recipe) {
  double maxScore = 0;
  bool any = false;
  for (const ResultSummary& s : results.table) {
    if (s.seeds == 0) continue;
    any = true;
    maxScore = std::max(maxScore, s.mean + s.sd);
  }
  if (!any) return {};
  Svg svg("Dev scores: " + recipe.name, "", "score (points; bars: mean, lines: ± sd over seeds)");
  const auto [top, step] = roundedAxis(maxScore);
  svg.yAxis(top, step);
  const double groupWidth = Svg::plotWidth() / static_cast<double>(recipe.tasks.size());
  const double barWidth = groupWidth * 0.8 / static_cast<double>(recipe.variants.size());
  for (size_t t = 0; t < recipe.tasks.size(); ++t) {
    const double groupLeft = kLeft + groupWidth * static_cast<double>(t) + groupWidth * 0.1;
    // The task and, below it, its metric: two short lines never run into the next group.
    const double centre = groupLeft + groupWidth * 0.4;
    svg.body() << "<text x=\"" << centre << "\" y=\"" << kTop + Svg::plotHeight() + 15
               << "\" text-anchor=\"middle\">" << escaped(recipe.tasks[t].task) << "</text>\n"
               << "<text x=\"" << centre << "\" y=\"" << kTop + Svg::plotHeight() + 28
               << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">"
               << escaped(recipe.tasks[t].metric) << "</text>\n";
    for (size_t v = 0; v < recipe.variants.size(); ++v) {
      const auto summary =
          std::find_if(results.table.begin(), results.table.end(), [&](const ResultSummary& s) {
            return s.variant == recipe.variants[v].name && s.task == recipe.tasks[t].task;
          });
      if (summary == results.table.end() || summary->seeds == 0) continue;
      const double x = groupLeft + barWidth * static_cast<double>(v);
      const double yTop = svg.y(summary->mean, top);
      svg.body() << "<rect x=\"" << x << "\" y=\"" << yTop << "\" width=\"" << barWidth * 0.9
                 << "\" height=\"" << kTop + Svg::plotHeight() - yTop << "\" fill=\"" << colourOf(v)
                 << "\"><title>" << escaped(summary->variant) << ": " << number(summary->mean)
                 << " ± " << number(summary->sd) << "</title></rect>\n";
      if (summary->seeds > 1) {
        const double centre = x + barWidth * 0.45;
        svg.body() << "<line x1=\"" << centre << "\" x2=\"" << centre << "\" y1=\""
                   << svg.y(summary->mean + summary->sd, top) << "\" y2=\""
                   << svg.y(std::max(0.0, summary->mean - summary->sd), top)
                   << "\" stroke=\"black\"/>\n";
      }
    }
  }
  for (size_t v = 0; v < recipe.variants.size(); ++v)
    svg.legend(v, recipe.variants[v].name, colourOf(v));
  return svg.finish();
}

std::string stepsSvg(const ExperimentResults& results, const ExperimentRecipe& recipe) {
  // One line per pre-training run (the variants that share it) and task, through the scores
  // of its variants at their steps.
  struct Line {
    std::string label, pretrainingKey;
    size_t colour;
    size_t task;
    std::vector<std::pair<int64_t, const ResultSummary*>> points;
  };
  std::vector<Line> lines;
  double maxScore = 0;
  int64_t maxStep = 1;
  for (size_t v = 0; v < recipe.variants.size(); ++v) {
    const ExperimentVariant& variant = recipe.variants[v];
    if (variant.fromStep <= 0) continue;
    const std::string key = pretrainingCellOf(recipe, v, 0).key;
    for (size_t t = 0; t < recipe.tasks.size(); ++t) {
      const auto summary =
          std::find_if(results.table.begin(), results.table.end(), [&](const ResultSummary& s) {
            return s.variant == variant.name && s.task == recipe.tasks[t].task;
          });
      if (summary == results.table.end() || summary->seeds == 0) continue;
      auto line = std::find_if(lines.begin(), lines.end(), [&](const Line& l) {
        return l.pretrainingKey == key && l.task == t;
      });
      if (line == lines.end()) {
        // "mlm-100" → "mlm": the name without its step.
        std::string label = variant.name;
        const std::string suffix = "-" + std::to_string(variant.fromStep);
        if (label.size() > suffix.size() &&
            label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0)
          label.resize(label.size() - suffix.size());
        if (recipe.tasks.size() > 1) label += " · " + recipe.tasks[t].task;
        lines.push_back({label, key, v, t, {}});
        line = lines.end() - 1;
      }
      line->points.emplace_back(variant.fromStep, &*summary);
      maxScore = std::max(maxScore, summary->mean + summary->sd);
      maxStep = std::max(maxStep, variant.fromStep);
    }
  }
  if (lines.empty()) return {};
  Svg svg("Dev score by pre-training step: " + recipe.name, "pre-training step fine-tuned from",
          "score (points; mean ± sd over seeds)");
  const auto [top, step] = roundedAxis(maxScore);
  svg.yAxis(top, step);
  const auto x = [maxStep](int64_t at) {
    return kLeft + Svg::plotWidth() * static_cast<double>(at) / static_cast<double>(maxStep);
  };
  std::vector<int64_t> ticks;
  for (size_t row = 0; row < lines.size(); ++row) {
    Line& line = lines[row];
    std::sort(line.points.begin(), line.points.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    const char* colour = colourOf(line.colour);
    svg.body() << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << colour
               << "\" points=\"";
    for (const auto& [at, summary] : line.points)
      svg.body() << x(at) << "," << svg.y(summary->mean, top) << " ";
    svg.body() << "\"/>\n";
    for (const auto& [at, summary] : line.points) {
      svg.body() << "<circle cx=\"" << x(at) << "\" cy=\"" << svg.y(summary->mean, top)
                 << "\" r=\"3.5\" fill=\"" << colour << "\"><title>" << escaped(summary->variant)
                 << ": " << number(summary->mean) << " ± " << number(summary->sd)
                 << "</title></circle>\n";
      if (summary->seeds > 1)
        svg.body() << "<line x1=\"" << x(at) << "\" x2=\"" << x(at) << "\" y1=\""
                   << svg.y(summary->mean + summary->sd, top) << "\" y2=\""
                   << svg.y(std::max(0.0, summary->mean - summary->sd), top) << "\" stroke=\""
                   << colour << "\"/>\n";
      if (std::find(ticks.begin(), ticks.end(), at) == ticks.end()) ticks.push_back(at);
    }
    svg.legend(row, line.label, colour);
  }
  for (int64_t at : ticks)
    svg.body() << "<text x=\"" << x(at) << "\" y=\"" << kTop + Svg::plotHeight() + 16
               << "\" text-anchor=\"middle\">" << at << "</text>\n";
  return svg.finish();
}

void writeExperimentFigures(const ExperimentRecipe& recipe, const std::string& experimentFolder,
                            const ExperimentResults& results) {
  namespace fs = std::filesystem;
  const std::string curves = lossCurvesSvg(recipe, experimentFolder);
  if (!curves.empty())
    writeFileAtomically((fs::path(experimentFolder) / kLossCurvesFigure).string(), curves);
  const std::string scores = scoresSvg(results, recipe);
  if (!scores.empty())
    writeFileAtomically((fs::path(experimentFolder) / kScoresFigure).string(), scores);
  const std::string steps = stepsSvg(results, recipe);
  if (!steps.empty())
    writeFileAtomically((fs::path(experimentFolder) / kStepsFigure).string(), steps);
}

}  // namespace bertwb
