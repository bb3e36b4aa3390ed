#pragma once
// The pipeline's random source: a seeded 64-bit Mersenne Twister with its own uniform
// helpers (std::uniform_*_distribution is implementation-defined, and the same seed must
// give the same instances with any standard library).
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace bertwb {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform integer in [low, high], both ends included (Python's random.randint).
  int64_t between(int64_t low, int64_t high) {
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % span;  // rejection removes modulo bias
    uint64_t draw;
    do draw = engine_();
    while (draw >= limit);
    return low + static_cast<int64_t>(draw % span);
  }
  template <typename T>
  void shuffle(std::vector<T>& items) {  // Fisher–Yates
    for (size_t i = items.size(); i > 1; --i)
      std::swap(items[i - 1], items[static_cast<size_t>(between(0, i - 1))]);
  }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace bertwb
