#include "widgets/training_metrics.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

namespace bertwb::ui {

QVector<StepMetrics> readMetricsJsonl(const QString& metricsFile) {
  QVector<StepMetrics> history;
  QFile file(metricsFile);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return history;
  while (!file.atEnd()) {
    const QJsonDocument line = QJsonDocument::fromJson(file.readLine());
    if (!line.isObject()) continue;
    const QJsonObject j = line.object();
    if (!j.contains(QStringLiteral("step"))) continue;
    StepMetrics m;
    m.step = static_cast<int64_t>(j.value(QStringLiteral("step")).toDouble());
    m.epoch = static_cast<int64_t>(j.value(QStringLiteral("epoch")).toDouble());
    m.loss = j.value(QStringLiteral("loss")).toDouble();
    m.mlmLoss = j.value(QStringLiteral("mlm_loss")).toDouble();
    m.nspLoss = j.value(QStringLiteral("nsp_loss")).toDouble();
    m.mlmAccuracy = j.value(QStringLiteral("mlm_accuracy")).toDouble();
    m.mlmPerplexity = j.value(QStringLiteral("mlm_perplexity")).toDouble();
    m.nspAccuracy = j.value(QStringLiteral("nsp_accuracy")).toDouble();
    m.learningRate = j.value(QStringLiteral("learning_rate")).toDouble();
    m.gradNorm = j.value(QStringLiteral("grad_norm")).toDouble();
    m.tokensPerSecond = j.value(QStringLiteral("tokens_per_second")).toDouble();
    m.sequencesPerSecond = j.value(QStringLiteral("sequences_per_second")).toDouble();
    m.elapsedSeconds = j.value(QStringLiteral("elapsed_seconds")).toDouble();
    m.etaSeconds = j.value(QStringLiteral("eta_seconds")).toDouble();
    history.push_back(m);
  }
  return history;
}

double ExponentialSmoother::add(double value) {
  biased_ = weight_ * biased_ + (1 - weight_) * value;
  weightPower_ *= weight_;
  return biased_ / (1 - weightPower_);
}

void ExponentialSmoother::reset() {
  biased_ = 0;
  weightPower_ = 1;
}

bool writeMetricsCsv(const QString& path, const QVector<StepMetrics>& history, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = file.errorString();
    return false;
  }
  QTextStream out(&file);
  out << "step,loss,loss_smoothed,mlm_loss,mlm_loss_smoothed,nsp_loss,nsp_loss_smoothed,mlm_"
         "accuracy,nsp_accuracy,"
         "learning_rate,tokens_per_second\n";
  ExponentialSmoother total(kChartSmoothingWeight), mlm(kChartSmoothingWeight),
      nsp(kChartSmoothingWeight);
  // Full precision: the file is for analysis, not for reading.
  constexpr int kDigits = 10;
  for (const StepMetrics& m : history) {
    out << m.step;
    for (double value :
         {m.loss, total.add(m.loss), m.mlmLoss, mlm.add(m.mlmLoss), m.nspLoss, nsp.add(m.nspLoss),
          m.mlmAccuracy, m.nspAccuracy, m.learningRate, m.tokensPerSecond})
      out << ',' << QString::number(value, 'g', kDigits);
    out << '\n';
  }
  out.flush();
  if (!file.commit()) {
    if (error) *error = file.errorString();
    return false;
  }
  return true;
}

}  // namespace bertwb::ui
