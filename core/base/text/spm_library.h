#pragma once
// Finding and loading the SentencePiece plugin (libbertwb_spm.so) and the training helper
// (bertwb-spm-train).
//
// Why dlmopen: libsentencepiece carries its own protobuf, which clashes with LibTorch's in
// one link namespace (DESIGN.md). dlmopen(LM_ID_NEWLM) gives the plugin and everything it
// pulls in (libsentencepiece, libstdc++, libc) a namespace of their own; only the C
// functions of spm_plugin/spm_plugin_abi.h cross.
//
// Search order, for both files:
//   1. the environment variable (BERTWB_SPM_PLUGIN / BERTWB_SPM_TRAIN): when set, it is the
//      only candidate, so a wrong override fails loudly instead of loading another copy;
//   2. <dir of /proc/self/exe>/../lib/bert-workbench/<file> (the installed layout);
//   3. the build tree (<build>/lib/<file>), compiled in only in developer builds
//      (BERTWB_DEVELOPER_BUILD, on by default; a package build turns it off).
// Every candidate, the override included, is loaded or run only when util/trusted_path.h
// trusts it (owned by the user or root, writable by no one else, nor any folder above it):
// a build path under /tmp that was removed must not run whatever someone puts there.
#include <string>
#include <vector>

#include "spm_plugin/spm_plugin_abi.h"

namespace bertwb {

// The plugin's functions, resolved with dlsym. Never unloaded.
struct SpmLibrary {
  std::string path;  // the file that was loaded
  decltype(&::bertwb_spm_abi_version) abiVersion = nullptr;
  decltype(&::bertwb_spm_last_error) lastError = nullptr;
  decltype(&::bertwb_spm_load_file) loadFile = nullptr;
  decltype(&::bertwb_spm_load_bytes) loadBytes = nullptr;
  decltype(&::bertwb_spm_free) free = nullptr;
  decltype(&::bertwb_spm_vocab_size) vocabSize = nullptr;
  decltype(&::bertwb_spm_id_to_piece) idToPiece = nullptr;
  decltype(&::bertwb_spm_piece_to_id) pieceToId = nullptr;
  decltype(&::bertwb_spm_encode) encode = nullptr;
  decltype(&::bertwb_spm_decode) decode = nullptr;
};

constexpr const char* kSpmPluginFileName = "libbertwb_spm.so";
constexpr const char* kSpmTrainerFileName = "bertwb-spm-train";
constexpr const char* kSpmPluginEnvironment = "BERTWB_SPM_PLUGIN";
constexpr const char* kSpmTrainerEnvironment = "BERTWB_SPM_TRAIN";

// The plugin, loaded on first use from spmPluginCandidates() (thread-safe; a failed load is
// retried on the next call). Throws bertwb::Error as loadSpmLibraryFrom does.
const SpmLibrary& spmLibrary();

// Loads the first candidate that exists, in a fresh link namespace. Throws bertwb::Error
// listing every candidate, why each was passed over (missing, dlerror() text, ABI version)
// and the remedy. Each successful call opens a new namespace (glibc allows 16): production
// code goes through spmLibrary(); this is the testable part.
SpmLibrary loadSpmLibraryFrom(const std::vector<std::string>& candidates);

// The candidate paths in search order (see the top of this file).
std::vector<std::string> spmPluginCandidates();
std::vector<std::string> spmTrainerCandidates();

// The first candidate that is an executable file; throws bertwb::Error listing them all.
std::string findSpmTrainerFrom(const std::vector<std::string>& candidates);
inline std::string findSpmTrainer() {
  return findSpmTrainerFrom(spmTrainerCandidates());
}

}  // namespace bertwb
