#include "shell/guide_steps.h"

#include <QCoreApplication>

namespace bertwb::ui {
namespace {

QString guideText(const char* text) {
  return QCoreApplication::translate("GuideSteps", text);
}

std::vector<GuideStep> makeSteps() {
  return {
      {StageId::Data, 0, guideText("Corpus and tokenizer"),
       guideText("Look at the corpus, then type a word into the tokenizer to see its pieces."),
       guideText(
           "BERT learns from plain text: the paper used BooksCorpus and English Wikipedia, 3.3 "
           "billion words, kept as whole documents so that sentences have real neighbours. The "
           "demo corpus is a small invented world written the same way: one sentence per line, "
           "a blank line between documents.<br><br>Text reaches the model as <b>WordPiece</b> "
           "tokens: frequent words stay whole, rarer ones are split into pieces marked "
           "<b>##</b>, so a vocabulary of a few thousand pieces (30,000 in BERT) can spell any "
           "word. Try a long or unusual word in the tokenizer box.")},
      {StageId::Model, 0, guideText("Model size"),
       guideText("Pick a model size: Tiny trains in minutes on a laptop."),
       guideText(
           "BERT is a stack of <b>L</b> Transformer encoder blocks of width <b>H</b>, each with "
           "<b>A</b> attention heads. BERT-Base is L=12, H=768, A=12 (110 million parameters); "
           "BERT-Large is L=24, H=1024, A=16 (340 million). Most of the parameters sit in the "
           "feed-forward layers and the token embeddings.<br><br>The demo uses <b>Tiny</b> "
           "(L=2, H=128): the same architecture, small enough to pre-train on two CPU cores "
           "while you watch. The wizard explains each knob and refuses sizes that cannot work "
           "(H must divide by A).")},
      {StageId::PreTrain, 0, guideText("Masking & NSP"),
       guideText("See how sentences become training examples; press Next a few times."),
       guideText(
           "BERT cannot read left to right like a language model, since every position sees "
           "every other. So it plays two games. <b>Masked LM</b>: 15% of the tokens are chosen; "
           "80% of those become [MASK], 10% a random token and 10% stay as they are, and the "
           "model must say what was there. <b>Next-sentence prediction</b>: half the time "
           "segment B really follows A (IsNext), half the time it comes from another document "
           "(NotNext).<br><br>These knobs are the settings the next pre-training run uses. "
           "Change the mask probability and watch the instance and the statistics follow.")},
      {StageId::PreTrain, 1, guideText("Pre-training"),
       guideText("Start a short pre-training run and watch the losses fall."),
       guideText(
           "Press <b>Start</b>. The masked-LM loss begins near ln(vocabulary), the loss of a "
           "uniform guess, and falls as the model learns which words fit where; next-sentence "
           "accuracy climbs from the 50% of chance. The probes on the right show the model's "
           "guesses for a [MASK] as it learns.<br><br>The paper trained for a million steps of "
           "256 sequences on 16 TPU chips for four days; a few hundred steps of the Tiny model "
           "already show the same curves. Pause, Stop and Resume lose nothing.")},
      {StageId::FineTune, 0, guideText("Fine-tuning"),
       guideText("Fine-tune the pre-trained model on demo sentiment with the defaults offered."),
       guideText(
           "Fine-tuning trains <b>all</b> the weights for a few epochs, with one new layer on "
           "top: for a sentence class, a softmax over the final vector of [CLS]; for tags, one "
           "over each token's vector; for question answering, a start and an end vector that "
           "pick the answer span.<br><br>Choose the demo sentiment task and press "
           "<b>Defaults for this model</b>: small models need larger steps than the paper's "
           "3e-5. The dashed line on the dev chart is the majority class: a useful model must "
           "beat it.")},
      {StageId::Playground, 0, guideText("Playground"),
       guideText("Type a sentence and see what the model makes of it."),
       guideText(
           "Choose a model (a pre-trained checkpoint fills [MASK]s; a fine-tuned one classifies, "
           "tags or answers) and type. The bars are the softmax probabilities; the same engine "
           "runs from the command line with bert-workbench-cli.<br><br>Try a [MASK] in a "
           "sentence the demo corpus never contained: a model that has learnt the world's "
           "facts fills it sensibly.")},
      {StageId::Attention, 0, guideText("Attention"),
       guideText("See which words each head attends to, layer by layer."),
       guideText(
           "Every head of every layer spreads each token's attention over all the tokens: the "
           "rows of these maps add up to 1. Some heads look at the next or previous word, some "
           "at [SEP] or [CLS] (a way of attending to nothing in particular), some link a word "
           "to a related one.<br><br>Attention weights show where information flows, not why "
           "a prediction was made: read them as a picture of the mechanism, not as an "
           "explanation. The Embeddings tab shows the token vectors themselves.")},
      {StageId::Experiments, 0, guideText("Experiments"),
       guideText("Run the pre-trained vs random experiment and read the verdicts."),
       guideText(
           "Why does pre-training matter? Each built-in experiment reproduces one of the "
           "paper's comparisons at desktop scale: the same model fine-tuned from pre-trained "
           "and from random weights, masked-LM against left-to-right (Table 5), fine-tuning "
           "against frozen features (Table 7). Every variant runs with several seeds, so the "
           "table shows mean ± standard deviation, the paper's number beside it, and a verdict "
           "that claims an effect only when the numbers support it.<br><br>Press "
           "<b>Start</b>; Stop and Resume lose no finished cell. Double-click a cell to see its "
           "run in the Pre-train or Fine-tune stage.")},
  };
}

}  // namespace

const std::vector<GuideStep>& guideSteps() {
  static const std::vector<GuideStep> steps = makeSteps();
  return steps;
}

}  // namespace bertwb::ui
