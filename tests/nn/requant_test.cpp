// XNNPACK's float32 requantisation: the integer path the library compiles for cores without an
// FPU (workloads/nn/src/requant.h) against the float path it compiles for cores with one, bit
// for bit, on tens of millions of inputs built to hit every case of the integer path: random
// accumulators and scales, exact ties, the double-rounding windows around them, accumulators
// around 2^24 (where float(acc) starts to round), saturation, multipliers whose rounding to 24
// bits carries or ties, unnormalised and zero multipliers, shifts from -95 to 31.
//
// Four implementations meet: the float path, the integer path (with the native and with the
// Cortex-M0 split 64-bit multiply), and a C++ oracle (std::nearbyint of the float product); the
// slow path alone (ts__xnn_exact) is also checked against the unclamped float result.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

extern "C" {
int8_t ts_test_rq_float(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset,
                        int32_t act_min, int32_t act_max);
int8_t ts_test_rq_integer(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset,
                          int32_t act_min, int32_t act_max);
int8_t ts_test_rq_integer_split(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset,
                                int32_t act_min, int32_t act_max);
int32_t ts__xnn_exact(int32_t acc, int32_t multiplier, int32_t shift);
}

namespace {

// xorshift64*: the same sequence on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t next64() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1Dull;
  }
  uint32_t next() { return static_cast<uint32_t>(next64() >> 32); }
  int32_t range(int32_t lo, int32_t hi) {  // uniform in [lo, hi]
    return static_cast<int32_t>(
        lo + static_cast<int64_t>(next64() %
                                  (static_cast<uint64_t>(static_cast<int64_t>(hi) - lo + 1))));
  }
  bool chance(int percent) { return range(0, 99) < percent; }

 private:
  uint64_t s_;
};

// The float computation written independently of the library: scale from (multiplier, shift)
// with an exact power of two, float product, round to nearest even (no clamp).
float FloatProduct(int32_t acc, int32_t multiplier, int32_t shift) {
  const float scale = static_cast<float>(multiplier) * std::ldexp(1.0f, shift - 31);
  return static_cast<float>(acc) * scale;
}

int8_t Oracle(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset, int32_t lo,
              int32_t hi) {
  float v = FloatProduct(acc, multiplier, shift);
  v = std::clamp(v, static_cast<float>(lo - offset), static_cast<float>(hi - offset));
  return static_cast<int8_t>(static_cast<int32_t>(std::nearbyint(v)) + offset);
}

struct Case {
  int32_t acc, multiplier, shift, offset, lo, hi;
};

// Counts what was checked; the test prints it.
struct Tally {
  long cases = 0, ties = 0, near_ties = 0, large_acc = 0, saturated = 0;
};

void Check(const Case& c, Tally& tally) {
  const int8_t expected = Oracle(c.acc, c.multiplier, c.shift, c.offset, c.lo, c.hi);
  const int8_t f = ts_test_rq_float(c.acc, c.multiplier, c.shift, c.offset, c.lo, c.hi);
  const int8_t i = ts_test_rq_integer(c.acc, c.multiplier, c.shift, c.offset, c.lo, c.hi);
  const int8_t is = ts_test_rq_integer_split(c.acc, c.multiplier, c.shift, c.offset, c.lo, c.hi);
  ++tally.cases;
  const float v = FloatProduct(c.acc, c.multiplier, c.shift);
  const float frac = std::fabs(v - std::floor(v) - 0.5f);
  tally.ties += frac == 0.0f;
  tally.near_ties += frac > 0.0f && frac < 1.0f / 65536;
  tally.large_acc += c.acc > (1 << 24) || c.acc < -(1 << 24);
  tally.saturated += expected == c.lo || expected == c.hi;
  if (f != expected || i != expected || is != expected) {
    FAIL() << "acc " << c.acc << " multiplier " << c.multiplier << " shift " << c.shift
           << " offset " << c.offset << " clamp [" << c.lo << ", " << c.hi << "]: float path "
           << int{f} << ", integer " << int{i} << ", split " << int{is} << ", oracle "
           << int{expected} << " (product " << v << ")";
  }
  // The slow path alone, unclamped, wherever the float result fits its saturation.
  if (std::fabs(v) < 16777216.0f) {
    const int32_t exact = ts__xnn_exact(c.acc, c.multiplier, c.shift);
    if (exact != static_cast<int32_t>(std::nearbyint(v))) {
      FAIL() << "ts__xnn_exact(" << c.acc << ", " << c.multiplier << ", " << c.shift
             << ") = " << exact << ", float " << v;
    }
  }
}

int32_t RandomMultiplier(Rng& rng) {
  const int r = rng.range(0, 99);
  if (r < 70) return rng.range(1 << 30, INT32_MAX);  // QuantizeMultiplier's range
  if (r < 85) {  // low 7 bits at the rounding boundary of float(m): ties, just off, carries
    const int32_t high = rng.range(1 << 23, (1 << 24) - 1);
    const int32_t low = 64 + rng.range(-2, 2);
    const int64_t m = (static_cast<int64_t>(high) << 7) + low;
    return static_cast<int32_t>(std::min<int64_t>(m, INT32_MAX));
  }
  if (r < 90) return INT32_MAX - rng.range(0, 200);                    // rounds up to 2^31
  if (r < 97) return rng.range(0, (1 << 30) - 1) >> rng.range(0, 30);  // unnormalised
  return rng.range(0, 2);
}

int32_t RandomShift(Rng& rng) {
  const int r = rng.range(0, 99);
  if (r < 80) return rng.range(-24, 0);  // the fast path's range and its edges
  if (r < 95) return rng.range(-40, 8);
  return rng.range(-95, 31);
}

void RandomClamp(Rng& rng, Case& c) {
  c.offset = rng.range(-128, 127);
  c.lo = -128;
  c.hi = 127;
  if (rng.chance(40)) c.lo = std::max(-128, c.offset);                // ReLU
  if (rng.chance(20)) c.hi = std::min(127, c.lo + rng.range(0, 60));  // ReLU6-like
}

TEST(XnnpackRequantization, IntegerPathEqualsFloatPath) {
  Rng rng(2024);
  Tally tally;
  const int32_t specials[] = {0,
                              1,
                              -1,
                              (1 << 24) - 1,
                              1 << 24,
                              (1 << 24) + 1,
                              -(1 << 24),
                              -(1 << 24) - 1,
                              (1 << 24) + 2,
                              -(1 << 24) + 1,
                              INT32_MAX,
                              INT32_MIN,
                              INT32_MIN + 1,
                              1 << 30,
                              -(1 << 30)};
  const long rounds = 8000000;
  for (long n = 0; n < rounds; ++n) {
    Case c{};
    c.multiplier = RandomMultiplier(rng);
    c.shift = RandomShift(rng);
    RandomClamp(rng, c);
    const double scale = std::ldexp(static_cast<double>(c.multiplier), c.shift - 31);
    const int kind = rng.range(0, 99);
    if (kind < 30 || scale == 0.0) {  // uniform over the int32 range, or a few bits of it
      c.acc = static_cast<int32_t>(rng.next());
      c.acc >>= rng.range(0, 31);
    } else if (kind < 70) {  // an accumulator landing near a tie n + 1/2, |n| up to 300
      const double target = rng.range(-300, 300) + 0.5;
      const double a = std::nearbyint(target / scale) + rng.range(-3, 3);
      c.acc = static_cast<int32_t>(std::clamp(a, -2147483648.0, 2147483647.0));
    } else if (kind < 85) {  // near an integer output (far from ties), around the clamp bounds
      const double target = rng.range(-300, 300) + (rng.chance(50) ? 0.25 : 0.0);
      const double a = std::nearbyint(target / scale) + rng.range(-2, 2);
      c.acc = static_cast<int32_t>(std::clamp(a, -2147483648.0, 2147483647.0));
    } else if (kind < 95) {  // around 2^24, where float(acc) starts to round
      c.acc = ((1 << 24) + rng.range(-64, 1 << 12)) * (rng.chance(50) ? 1 : -1);
      if (rng.chance(30)) c.acc = static_cast<int32_t>(rng.next() | 0x01000000u) >> 1;
    } else {
      c.acc = specials[rng.range(0, 14)];
    }
    Check(c, tally);
    if (HasFatalFailure()) return;
  }
  // Exact ties by construction: scale 2^-k times an odd accumulator, for every shift the fast
  // path handles and beyond (multiplier 2^30: scale 2^(shift - 1)).
  for (int32_t shift = -40; shift <= 8; ++shift) {
    for (int32_t i = 0; i < 20000; ++i) {
      Case c{};
      c.multiplier = 1 << 30;
      c.shift = shift;
      RandomClamp(rng, c);
      const int32_t k = 1 - shift;  // v = acc * 2^-k
      const int64_t n = rng.range(-300, 300);
      const int64_t acc = k >= 1 && k < 40 ? ((2 * n + 1) << (k - 1)) : n;
      if (acc > INT32_MAX || acc < INT32_MIN) continue;
      c.acc = static_cast<int32_t>(acc + (rng.chance(20) ? rng.range(-1, 1) : 0));
      Check(c, tally);
      if (HasFatalFailure()) return;
    }
  }
  std::printf(
      "checked %ld cases: %ld exact ties, %ld within 2^-16 of a tie, %ld with |acc| > 2^24, %ld "
      "clamped\n",
      tally.cases, tally.ties, tally.near_ties, tally.large_acc, tally.saturated);
  EXPECT_GT(tally.ties, 100000);
  EXPECT_GT(tally.near_ties, 10000);
  EXPECT_GT(tally.large_acc, 100000);
}

TEST(XnnpackRequantization, ExhaustiveAccumulatorsForModelScales) {
  // Every accumulator in [-2^20, 2^20] for a few scales like the bundled models' (shifts -5 to
  // -11, and the fast path's edges -1, -8, -9, -22, -23): no sampling gaps near ties.
  Rng rng(7);
  Tally tally;
  const int32_t shifts[] = {-1, -5, -8, -9, -11, -22, -23};
  for (const int32_t shift : shifts) {
    const int32_t multiplier = rng.range(1 << 30, INT32_MAX);
    for (int32_t acc = -(1 << 20); acc <= (1 << 20); ++acc) {
      const Case c{acc, multiplier, shift, 0, -128, 127};
      Check(c, tally);
      if (HasFatalFailure()) return;
    }
  }
  std::printf("checked %ld cases: %ld exact ties, %ld within 2^-16 of a tie\n", tally.cases,
              tally.ties, tally.near_ties);
}

TEST(XnnpackRequantization, KnownValues) {
  // Scale 1/2: ties to even in both directions.
  EXPECT_EQ(ts_test_rq_integer(1, 1 << 30, 0, 0, -128, 127), 0);
  EXPECT_EQ(ts_test_rq_integer(3, 1 << 30, 0, 0, -128, 127), 2);
  EXPECT_EQ(ts_test_rq_integer(-1, 1 << 30, 0, 0, -128, 127), 0);
  EXPECT_EQ(ts_test_rq_integer(-3, 1 << 30, 0, 0, -128, 127), -2);
  // Double rounding: 122947 * float(1131286016 * 2^-40) = 126.5000008..., which float
  // arithmetic rounds to 126.5 (24 bits), then to 126 (even). Rounding the exact product once
  // would give 127.
  EXPECT_EQ(ts_test_rq_integer(122947, 1131286016, -9, 0, -128, 127), 126);
  EXPECT_EQ(ts_test_rq_integer(-122947, 1131286016, -9, 0, -128, 127), -126);
  EXPECT_EQ(ts_test_rq_float(122947, 1131286016, -9, 0, -128, 127), 126);
  EXPECT_EQ(ts__xnn_exact(122947, 1131286016, -9), 126);
  // Saturation and the clamp after rounding.
  EXPECT_EQ(ts_test_rq_integer(INT32_MAX, INT32_MAX, 31, 5, -128, 127), 127);
  EXPECT_EQ(ts_test_rq_integer(INT32_MIN, INT32_MAX, 31, 5, -128, 127), -128);
  EXPECT_EQ(ts_test_rq_integer(1000, 1 << 30, -2, -128, -128, 127), -3);  // 125 - 128
}

}  // namespace
