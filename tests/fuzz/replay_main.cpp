// The harnesses' plain entry point, for builds without libFuzzer (every normal build, and CI):
// each argument is an input file, or a folder whose files are inputs; each runs once through
// LLVMFuzzerTestOneInput. A crash or an escaping exception fails the run, naming the input.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  try {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: escaped: %s\n", file.c_str(), e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  int inputs = 0, failures = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path argument(argv[i]);
    std::vector<fs::path> files;
    if (fs::is_directory(argument)) {
      for (const auto& entry : fs::recursive_directory_iterator(argument))
        if (entry.is_regular_file()) files.push_back(entry.path());
    } else if (fs::exists(argument)) {
      files.push_back(argument);
    } else {
      std::fprintf(stderr, "%s: no such input\n", argv[i]);
      return 2;
    }
    for (const fs::path& file : files) {
      ++inputs;
      failures += replay(file);
    }
  }
  std::printf("%d inputs replayed, %d failed\n", inputs, failures);
  return failures == 0 && inputs > 0 ? 0 : 1;
}
