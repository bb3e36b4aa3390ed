#pragma once
// Training a WordPiece vocabulary (vocab.txt) from a corpus, for users who have none.
// How: the corpus goes through the same BasicTokenizer the WordPiece tokenizer uses (so
// the vocabulary sees exactly the words it will be asked to split), SentencePiece's BPE
// trainer learns sub-word pieces on those words, and each piece is converted to WordPiece
// form: a word-initial piece ("▁play") becomes "play", any other piece ("ing") becomes
// "##ing". Every character seen is added in both forms, so no word is unknown for lack of
// a character. The five special tokens come first: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4.
#include <string>
#include <vector>

#include "util/progress.h"

namespace bertwb {

struct WordPieceTrainOptions {
  std::vector<std::string> inputFiles;
  std::string outputFolder;  // receives vocab.txt and tokenizer_config.json
  int vocabSize = 30522;     // the released English BERTs' size
  bool doLowerCase = true;
  int maxInputCharsPerWord = 100;
};

// Returns the number of tokens written. Throws bertwb::Error (bad input) or
// bertwb::Cancelled.
int trainWordPieceVocab(const WordPieceTrainOptions& options, const ProgressCallback& progress,
                        const CancelFlag* cancel);

}  // namespace bertwb
