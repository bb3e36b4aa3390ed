#pragma once
// Signals whose default action would end the program without a word (issue 19, item 6).
namespace bertwb {

// A write past the file-size limit (`ulimit -f`) raises SIGXFSZ, which kills the process
// silently by default. Ignored, the write fails with EFBIG instead, and the atomic writers
// report "File too large" naming the file, leaving the old file as it was. Every program calls
// this first thing in main(); exec'd children inherit it.
void reportOversizedWritesAsErrors();

}  // namespace bertwb
