#include "text/spm_library.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "util/error.h"
#include "util/trusted_path.h"

namespace bertwb {
namespace {

// Where the installed application keeps its private files, relative to the executable's
// folder (bin/): <prefix>/lib/bert-workbench (see core/spm_plugin/CMakeLists.txt).
constexpr const char* kInstalledPrivateDir = "../lib/bert-workbench";

const char* const kPackageRemedy =
    "install Debian's SentencePiece runtime library (apt install libsentencepiece0; "
    "libsentencepiece-dev to build) and build the project, which builds the plugin and "
    "bertwb-spm-train into <build>/lib";

std::vector<std::string> candidatesFor(const char* environmentVariable, const char* fileName,
                                       const char* buildTreePath) {
  if (const char* overridePath = std::getenv(environmentVariable);
      overridePath != nullptr && overridePath[0] != '\0') {
    return {overridePath};
  }
  namespace fs = std::filesystem;
  std::vector<std::string> candidates;
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(
        (executable.parent_path() / kInstalledPrivateDir / fileName).lexically_normal().string());
    // Programs installed in the private folder themselves (the CLI's engine).
    candidates.push_back((executable.parent_path() / fileName).string());
  }
  if (buildTreePath != nullptr && buildTreePath[0] != '\0') candidates.push_back(buildTreePath);
  return candidates;
}

std::string describeCandidates(const std::vector<std::string>& candidates,
                               const std::vector<std::string>& reasons) {
  std::string text;
  for (size_t i = 0; i < candidates.size(); ++i) {
    text += "\n  " + candidates[i] + " (" + reasons[i] + ")";
  }
  if (candidates.empty()) text = "\n  (no candidate paths)";
  return text;
}

template <typename Function>
void resolve(void* handle, const char* name, Function& function, std::string& missing) {
  function = reinterpret_cast<Function>(::dlsym(handle, name));
  if (function == nullptr) missing += std::string(missing.empty() ? "" : ", ") + name;
}

#ifdef BERTWB_SPM_PLUGIN_BUILD_PATH
constexpr const char* kPluginBuildPath = BERTWB_SPM_PLUGIN_BUILD_PATH;
#else
constexpr const char* kPluginBuildPath = nullptr;
#endif
#ifdef BERTWB_SPM_TRAIN_BUILD_PATH
constexpr const char* kTrainerBuildPath = BERTWB_SPM_TRAIN_BUILD_PATH;
#else
constexpr const char* kTrainerBuildPath = nullptr;
#endif

}  // namespace

std::vector<std::string> spmPluginCandidates() {
  return candidatesFor(kSpmPluginEnvironment, kSpmPluginFileName, kPluginBuildPath);
}

std::vector<std::string> spmTrainerCandidates() {
  return candidatesFor(kSpmTrainerEnvironment, kSpmTrainerFileName, kTrainerBuildPath);
}

SpmLibrary loadSpmLibraryFrom(const std::vector<std::string>& candidates) {
  std::vector<std::string> reasons;
  for (const std::string& path : candidates) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      reasons.push_back("not found");
      continue;
    }
    if (const std::string untrusted = untrustedReason(path); !untrusted.empty()) {
      reasons.push_back("not loaded: " + untrusted);
      continue;
    }
    // A namespace of its own (see the header); RTLD_NOW so a missing libsentencepiece shows
    // here, with dlerror() naming it, rather than at the first call.
    void* handle = ::dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      reasons.push_back(std::string("cannot be loaded: ") + (why ? why : "unknown dlmopen error"));
      continue;
    }
    SpmLibrary library;
    library.path = path;
    std::string missing;
    resolve(handle, "bertwb_spm_abi_version", library.abiVersion, missing);
    resolve(handle, "bertwb_spm_last_error", library.lastError, missing);
    resolve(handle, "bertwb_spm_load_file", library.loadFile, missing);
    resolve(handle, "bertwb_spm_load_bytes", library.loadBytes, missing);
    resolve(handle, "bertwb_spm_free", library.free, missing);
    resolve(handle, "bertwb_spm_vocab_size", library.vocabSize, missing);
    resolve(handle, "bertwb_spm_id_to_piece", library.idToPiece, missing);
    resolve(handle, "bertwb_spm_piece_to_id", library.pieceToId, missing);
    resolve(handle, "bertwb_spm_encode", library.encode, missing);
    resolve(handle, "bertwb_spm_decode", library.decode, missing);
    if (!missing.empty()) {
      reasons.push_back("not the plugin: lacks " + missing);
      ::dlclose(handle);
      continue;
    }
    if (const int32_t version = library.abiVersion(); version != BERTWB_SPM_ABI_VERSION) {
      reasons.push_back("plugin ABI version " + std::to_string(version) + ", this program needs " +
                        std::to_string(BERTWB_SPM_ABI_VERSION) + ": rebuild the project");
      ::dlclose(handle);
      continue;
    }
    return library;
  }
  throw Error(std::string("cannot load the SentencePiece plugin ") + kSpmPluginFileName +
              "; looked for:" + describeCandidates(candidates, reasons) + "\nRemedy: " +
              kPackageRemedy + ", or set " + kSpmPluginEnvironment + " to the plugin's path.");
}

const SpmLibrary& spmLibrary() {
  // A function-local static is initialised once even with concurrent callers; when the
  // initialiser throws, the next call tries again.
  static const SpmLibrary library = loadSpmLibraryFrom(spmPluginCandidates());
  return library;
}

std::string findSpmTrainerFrom(const std::vector<std::string>& candidates) {
  std::vector<std::string> reasons;
  for (const std::string& path : candidates) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      reasons.push_back("not found");
    } else if (const std::string untrusted = untrustedReason(path); !untrusted.empty()) {
      reasons.push_back("not run: " + untrusted);
    } else if (::access(path.c_str(), X_OK) != 0) {
      reasons.push_back("not executable");
    } else {
      return path;
    }
  }
  throw Error(std::string("cannot find the SentencePiece trainer ") + kSpmTrainerFileName +
              "; looked for:" + describeCandidates(candidates, reasons) + "\nRemedy: " +
              kPackageRemedy + ", or set " + kSpmTrainerEnvironment + " to the trainer's path.");
}

}  // namespace bertwb
