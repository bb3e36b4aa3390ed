#pragma once
// The one exception type the core throws for anything a user can cause (bad files, bad
// settings). Messages name what and where (file, line/record, field) and, where there is
// one, a remedy. Internal invariants use TORCH_INTERNAL_ASSERT instead.
#include <stdexcept>
#include <string>

namespace bertwb {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace bertwb

namespace bertwb {

// Thrown when a job stops because the user asked it to (not an error to show as one).
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

}  // namespace bertwb
