#include "util/trusted_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace bertwb {
namespace {

std::string problemWith(const std::filesystem::path& entry, bool isTheFile) {
  struct stat info {};
  if (::stat(entry.c_str(), &info) != 0) return entry.string() + ": " + std::strerror(errno);
  if (info.st_uid != 0 && info.st_uid != ::geteuid())
    return entry.string() + " is owned by user " + std::to_string(info.st_uid) +
           ", neither you nor root";
  const bool writableByOthers = (info.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  const bool rootStickyFolder =
      !isTheFile && S_ISDIR(info.st_mode) && (info.st_mode & S_ISVTX) != 0 && info.st_uid == 0;
  if (writableByOthers && !rootStickyFolder)
    return entry.string() + " is writable by " +
           ((info.st_mode & S_IWOTH) != 0 ? "every user" : "its group");
  return {};
}

}  // namespace

std::string untrustedReason(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  // The real location: a symbolic link is judged by what it points to.
  const fs::path file = fs::canonical(path, error);
  if (error) return path + ": " + error.message();
  if (std::string problem = problemWith(file, /*isTheFile=*/true); !problem.empty()) return problem;
  for (fs::path folder = file.parent_path();; folder = folder.parent_path()) {
    if (std::string problem = problemWith(folder, /*isTheFile=*/false); !problem.empty())
      return problem;
    if (folder == folder.root_path() || folder.empty()) break;
  }
  return {};
}

}  // namespace bertwb
