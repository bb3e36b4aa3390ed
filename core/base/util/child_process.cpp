#include "util/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

extern char** environ;

namespace bertwb {

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& arguments) {
  int pipeFds[2];
  // Close-on-exec: the child gets the write end only through the dup2s below.
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
    throw Error("cannot start '" + program + "': no pipe for its output: " + std::strerror(errno));
  }
  outputFd_ = pipeFds[0];
  const int writeFd = pipeFds[1];
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, writeFd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, writeFd, STDERR_FILENO);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  const int spawnError =
      ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(writeFd);  // the child's copies keep the pipe open until it exits
  if (spawnError != 0) {
    pid_ = -1;
    ::close(outputFd_);
    outputFd_ = -1;
    throw Error("cannot start '" + program + "': " + std::strerror(spawnError));
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait();
  }
  if (outputFd_ >= 0) ::close(outputFd_);
}

bool ChildProcess::readLines(int timeoutMs, std::vector<std::string>& lines) {
  if (outputFd_ < 0) return false;
  pollfd polled{outputFd_, POLLIN, 0};
  const int ready = ::poll(&polled, 1, timeoutMs);
  if (ready < 0 && errno != EINTR) {
    throw Error(std::string("cannot read a helper program's output: ") + std::strerror(errno));
  }
  if (ready <= 0) return true;
  char buffer[4096];
  const ssize_t got = ::read(outputFd_, buffer, sizeof buffer);
  if (got < 0) {
    if (errno == EINTR || errno == EAGAIN) return true;
    throw Error(std::string("cannot read a helper program's output: ") + std::strerror(errno));
  }
  if (got == 0) {
    if (!pending_.empty()) lines.push_back(std::move(pending_));
    pending_.clear();
    ::close(outputFd_);
    outputFd_ = -1;
    return false;
  }
  pending_.append(buffer, static_cast<size_t>(got));
  size_t start = 0;
  for (size_t newline; (newline = pending_.find('\n', start)) != std::string::npos;
       start = newline + 1) {
    lines.push_back(pending_.substr(start, newline - start));
  }
  pending_.erase(0, start);
  return true;
}

int ChildProcess::wait() {
  int status = 0;
  if (pid_ <= 0) return status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return status;
}

std::string describeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + ::strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace bertwb
