#include "util/folder_swap.h"

#include <fcntl.h>  // AT_FDCWD
#include <stdio.h>  // renameat2, RENAME_EXCHANGE

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace bertwb {
namespace {

std::string lastError() {
  return std::strerror(errno);
}

}  // namespace

void installFolder(const std::filesystem::path& staging, const std::filesystem::path& target,
                   const std::filesystem::path& aside) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::exists(target, error)) {
    if (::rename(staging.c_str(), target.c_str()) != 0)
      throw Error("cannot move '" + staging.string() + "' to '" + target.string() +
                  "': " + lastError());
    return;
  }
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(staging, error);  // the old contents
    return;
  }
#endif
  fs::remove_all(aside, error);
  if (::rename(target.c_str(), aside.c_str()) != 0)
    throw Error("cannot move '" + target.string() + "' aside to '" + aside.string() +
                "': " + lastError());
  if (::rename(staging.c_str(), target.c_str()) != 0) {
    const std::string reason = lastError();
    ::rename(aside.c_str(), target.c_str());
    throw Error("cannot move '" + staging.string() + "' to '" + target.string() + "': " + reason);
  }
  fs::remove_all(aside, error);
}

}  // namespace bertwb
