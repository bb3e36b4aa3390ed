#pragma once
// Putting a complete folder in place of another one, such that a kill at any moment leaves
// one whole folder at the target name or a leftover the caller's recovery can use.
#include <filesystem>

namespace bertwb {

// Moves the complete folder `staging` to `target`. When `target` exists, the two are swapped
// in one step (renameat2 RENAME_EXCHANGE) and the old contents, now under `staging`, deleted.
// Where the file system cannot swap, `target` is first renamed to `aside`, `staging` takes
// its name, and `aside` is deleted: a kill between the two renames leaves `aside` and
// `staging`, both whole, for the caller to recover. Throws bertwb::Error naming the folders
// when a rename fails (`target` is then left as it was).
void installFolder(const std::filesystem::path& staging, const std::filesystem::path& target,
                   const std::filesystem::path& aside);

}  // namespace bertwb
