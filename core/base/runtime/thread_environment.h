#pragma once
// LibTorch's OpenMP threads busy-wait after each parallel region; on a small machine they
// then steal the cores OpenBLAS's own threads need for the matrix products, and a BERT
// forward pass runs up to 10× slower (measured on 2 cores: Tiny batch 1 at 59.6 ms instead
// of 4.7 ms; Base batch 32 at 8.6 s instead of 7.8 s). OMP_WAIT_POLICY=PASSIVE stops the
// spinning, but libgomp reads it only when it is loaded, before main() runs.
namespace bertwb {

// Call first thing in main(): when OMP_WAIT_POLICY is unset, sets it to PASSIVE and
// re-executes the program with the same arguments (once; a user's own setting is kept).
// Returns normally when nothing needs to change or the re-execution is impossible.
// Also calls keepFreedTensorMemory().
void ensurePassiveOpenMpThreads(char** argv);

// Makes malloc keep freed memory for reuse instead of returning it to the system, which
// costs page faults on every training step.
void keepFreedTensorMemory();

}  // namespace bertwb
