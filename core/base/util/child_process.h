#pragma once
// A helper program run in the background, its stdout and stderr merged into one pipe that
// the parent reads line by line while it keeps an eye on a cancel flag. Destroying a
// ChildProcess that is still running kills it (SIGKILL) and reaps it, so an exception or a
// cancel never leaves a stray process behind.
#include <sys/types.h>

#include <string>
#include <vector>

namespace bertwb {

class ChildProcess {
 public:
  // Starts `program` (a path, not searched in PATH) with `arguments`, stdin from /dev/null and
  // the parent's environment. Throws bertwb::Error naming the program when it cannot start.
  ChildProcess(const std::string& program, const std::vector<std::string>& arguments);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to `timeoutMs` for output and appends the complete lines it got (without "\n")
  // to `lines`. Returns false once the output has ended (the last, unterminated line
  // included).
  bool readLines(int timeoutMs, std::vector<std::string>& lines);

  // Waits for the program to end; returns its waitpid status.
  int wait();

 private:
  pid_t pid_ = -1;
  int outputFd_ = -1;
  std::string pending_;  // an incomplete last line
};

// "exit status 1", "signal Killed": a waitpid status in words.
std::string describeWaitStatus(int status);

}  // namespace bertwb
