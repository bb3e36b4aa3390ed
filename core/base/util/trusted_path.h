#pragma once
// Whether a file is safe to load code from (a plugin to dlopen, a helper to run).
//
// Why: a path compiled in from the build tree may not exist on the machine that runs the
// program (a build under /tmp, since removed); whoever creates it then would have their code
// run in the user's process. A file is trusted only when it and every folder above it are
// owned by the user or root and writable by no one else, so no other account can have put it
// there or can swap it. Root-owned sticky folders (/tmp) are allowed on the way: only an
// entry's owner may rename or remove it there.
#include <string>

namespace bertwb {

// Empty when `path` is trusted; otherwise why not, naming the file or folder at fault
// ("/tmp/b is owned by user 1001", "/srv/x is writable by its group").
std::string untrustedReason(const std::string& path);

}  // namespace bertwb
