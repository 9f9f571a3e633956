// Tests of the int8 kernels (workloads/nn) against straightforward reference implementations.
//
// The same file builds six times: against the portable library and against the DSP library with
// emulated intrinsics (TS_NN_TEST_DSP), each with the default XNNPACK requantisation in float,
// in integers (TS_NN_TEST_INTEGER) and with TFLite's (TS_NN_TEST_TFLITE), so every path meets
// the same references. The references below use integer arithmetic written from the published
// definitions (gemmlowp's SaturatingRoundingDoublingHighMul and RoundingDivideByPOT, TFLite's
// reference kernels) or, for XNNPACK's requantisation, plain float arithmetic, in the plainest
// loop order, independent of the kernels' code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tinysim/nn.h"

#ifdef TS_NN_TEST_DSP
#define TS_NN_EMULATE_DSP 1
#include "nn_dsp.h"  // the emulated intrinsics, tested against the architecture's definition
#endif

namespace {

// ---- Deterministic randomness ------------------------------------------------------------------

// xorshift64*: the same sequence on every platform (std distributions are not portable).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint32_t next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return static_cast<uint32_t>((s_ * 0x2545F4914F6CDD1Dull) >> 32);
  }
  // Uniform in [lo, hi].
  int32_t range(int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(next() % static_cast<uint32_t>(hi - lo + 1));
  }
  bool chance(int percent) { return range(0, 99) < percent; }
  std::vector<int8_t> int8s(size_t n) {
    std::vector<int8_t> v(n);
    for (auto& x : v) x = static_cast<int8_t>(range(-128, 127));
    return v;
  }

 private:
  uint64_t s_;
};

// ---- Reference arithmetic (published definitions) ----------------------------------------------

int32_t RefSaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  const bool overflow = a == b && a == INT32_MIN;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  const int32_t high = static_cast<int32_t>((ab + nudge) / (1ll << 31));  // truncating
  return overflow ? INT32_MAX : high;
}

int32_t RefRoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((1ll << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t RefMultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  // x * 2^left with two's complement wrap-around.
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return RefRoundingDivideByPOT(RefSaturatingRoundingDoublingHighMul(shifted, multiplier), right);
}

#ifndef TS_NN_TEST_TFLITE
// XNNPACK's fp32 requantisation (the default): float scale, float product, clamp, round to
// nearest even. The library computes it in float or in integers (TS_NN_TEST_INTEGER); both
// must give this.
int8_t RefRequant(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset, int32_t lo,
                  int32_t hi) {
  const float scale = static_cast<float>(std::ldexp(static_cast<double>(multiplier), shift - 31));
  float v = static_cast<float>(acc) * scale;
  v = std::clamp(v, static_cast<float>(lo - offset), static_cast<float>(hi - offset));
  return static_cast<int8_t>(static_cast<int32_t>(std::nearbyint(v)) + offset);
}
#else
// TFLite's reference: MultiplyByQuantizedMultiplier, offset, clamp.
int8_t RefRequant(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset, int32_t lo,
                  int32_t hi) {
  const int32_t v = RefMultiplyByQuantizedMultiplier(acc, multiplier, shift) + offset;
  return static_cast<int8_t>(std::clamp(v, lo, hi));
}
#endif

// ---- Shapes and parameters ---------------------------------------------------------------------

size_t Elements(const ts_shape& s) {
  return static_cast<size_t>(s.n) * s.h * s.w * s.c;
}

// Output size and leading padding of one axis for TFLite's SAME or VALID, or an explicit
// symmetric padding (which may put whole windows outside the input).
enum class Padding { kSame, kValid, kExplicit };

bool Axis(Padding mode, int32_t in, int32_t k, int32_t stride, int32_t dilation, int32_t pad_in,
          int32_t* out, int32_t* pad) {
  const int32_t eff = (k - 1) * dilation + 1;
  switch (mode) {
    case Padding::kSame: {
      *out = (in + stride - 1) / stride;
      *pad = std::max((*out - 1) * stride + eff - in, 0) / 2;
      break;
    }
    case Padding::kValid:
      *out = in >= eff ? (in - eff) / stride + 1 : 0;
      *pad = 0;
      break;
    case Padding::kExplicit:
      *out = in + 2 * pad_in >= eff ? (in + 2 * pad_in - eff) / stride + 1 : 0;
      *pad = pad_in;
      break;
  }
  return *out > 0;
}

Padding RandomPadding(Rng& rng) {
  const int r = rng.range(0, 9);
  return r < 4 ? Padding::kSame : r < 8 ? Padding::kValid : Padding::kExplicit;
}

// Per-channel requantisation whose outputs mostly land inside int8, with some saturating.
struct Quant {
  std::vector<int32_t> multiplier, shift;
  ts_channel_quant view() const { return {multiplier.data(), shift.data()}; }
};

Quant RandomQuant(Rng& rng, int32_t channels, int32_t acc_bits) {
  Quant q;
  for (int32_t c = 0; c < channels; ++c) {
    q.multiplier.push_back(rng.range(1 << 30, INT32_MAX));
    // Scale an accumulator of about 2^acc_bits to about 2^5; sometimes far more (saturation)
    // or a left shift.
    int32_t s = 5 - acc_bits + rng.range(-2, 2);
    if (rng.chance(5)) s += rng.range(3, 10);
    q.shift.push_back(std::clamp(s, -31, 10));
  }
  return q;
}

// log2 of the typical accumulator magnitude of `terms` products of random int8 values.
int32_t AccBits(int64_t terms) {
  return 14 + static_cast<int32_t>(
                  std::log2(std::sqrt(static_cast<double>(std::max<int64_t>(terms, 1)))));
}

struct Clamp {
  int32_t lo, hi;
};

Clamp RandomClamp(Rng& rng, int32_t output_offset) {
  switch (rng.range(0, 3)) {
    case 0:  // ReLU
      return {std::max(-128, output_offset), 127};
    case 1:  // ReLU6-like
      return {std::max(-128, output_offset), std::min(127, output_offset + 60)};
    default:
      return {-128, 127};
  }
}

std::vector<int32_t> RandomBias(Rng& rng, int32_t n, int32_t acc_bits) {
  std::vector<int32_t> b(n);
  const int32_t mag = 1 << std::min(acc_bits, 28);
  for (auto& x : b) x = rng.range(-mag, mag);
  if (rng.chance(3)) b[0] = rng.chance(50) ? INT32_MAX / 4 : INT32_MIN / 4;
  return b;
}

// Statistics that keep the random tests honest: most outputs must be unsaturated.
struct Coverage {
  int64_t total = 0, saturated = 0;
  void add(const std::vector<int8_t>& v, Clamp c) {
    for (int8_t x : v) {
      ++total;
      saturated += (x == c.lo || x == c.hi) ? 1 : 0;
    }
  }
  void expect_mostly_unsaturated() const {
    ASSERT_GT(total, 0);
    EXPECT_LT(static_cast<double>(saturated) / static_cast<double>(total), 0.5)
        << saturated << " of " << total << " outputs at a clamp bound";
  }
};

// A buffer with guard bytes on both sides, to catch writes out of bounds; scratch is filled
// with garbage so kernels cannot rely on zeroed memory.
class Guarded {
 public:
  explicit Guarded(size_t n, uint8_t fill = 0x5A) : bytes_(n + 2 * kGuard + 8, fill), n_(n) {
    std::fill(bytes_.begin(), bytes_.begin() + kGuard, kCanary);
    std::fill(bytes_.end() - kGuard - 8, bytes_.end(), kCanary);
  }
  void* data() { return bytes_.data() + kGuard; }
  bool intact() const {
    for (size_t i = 0; i < kGuard; ++i) {
      if (bytes_[i] != kCanary || bytes_[kGuard + n_ + i] != kCanary) return false;
    }
    return true;
  }
  std::vector<int8_t> int8s() const {
    std::vector<int8_t> v(n_);
    std::memcpy(v.data(), bytes_.data() + kGuard, n_);
    return v;
  }

 private:
  static constexpr size_t kGuard = 32;  // multiple of 4: data() stays 4-byte aligned
  static constexpr uint8_t kCanary = 0xC3;
  std::vector<uint8_t> bytes_;
  size_t n_;
};

// ---- CONV_2D ------------------------------------------------------------------------------------

struct ConvCase {
  ts_conv_params p{};
  ts_shape in{}, filter{}, out{};
  std::vector<int8_t> input, weights;
  std::vector<int32_t> bias;  // empty: NULL
  Quant quant;
  Clamp clamp{};
};

std::vector<int8_t> RefConv(const ConvCase& c) {
  std::vector<int8_t> out(Elements(c.out));
  const ts_conv_params& p = c.p;
  for (int32_t n = 0; n < c.out.n; ++n) {
    for (int32_t oy = 0; oy < c.out.h; ++oy) {
      for (int32_t ox = 0; ox < c.out.w; ++ox) {
        for (int32_t oc = 0; oc < c.out.c; ++oc) {
          int32_t acc = c.bias.empty() ? 0 : c.bias[oc];
          for (int32_t ky = 0; ky < c.filter.h; ++ky) {
            for (int32_t kx = 0; kx < c.filter.w; ++kx) {
              const int32_t y = oy * p.stride_h - p.pad_h + ky * p.dilation_h;
              const int32_t x = ox * p.stride_w - p.pad_w + kx * p.dilation_w;
              if (y < 0 || y >= c.in.h || x < 0 || x >= c.in.w) continue;
              for (int32_t ic = 0; ic < c.in.c; ++ic) {
                const int32_t v = c.input[((n * c.in.h + y) * c.in.w + x) * c.in.c + ic];
                const int32_t w =
                    c.weights[((oc * c.filter.h + ky) * c.filter.w + kx) * c.filter.c + ic];
                acc += (v + p.input_offset) * w;
              }
            }
          }
          out[((n * c.out.h + oy) * c.out.w + ox) * c.out.c + oc] =
              RefRequant(acc, c.quant.multiplier[oc], c.quant.shift[oc], p.output_offset,
                         c.clamp.lo, c.clamp.hi);
        }
      }
    }
  }
  return out;
}

std::vector<int8_t> RunConv(const ConvCase& c) {
  Guarded scratch(ts_conv2d_s8_scratch_bytes(&c.p, &c.in, &c.filter, &c.out), 0xA5);
  Guarded out(Elements(c.out));
  const ts_channel_quant q = c.quant.view();
  ts_conv2d_s8(&c.p, &q, &c.in, c.input.data(), &c.filter, c.weights.data(),
               c.bias.empty() ? nullptr : c.bias.data(), &c.out, static_cast<int8_t*>(out.data()),
               scratch.data());
  EXPECT_TRUE(scratch.intact()) << "scratch overrun";
  EXPECT_TRUE(out.intact()) << "output overrun";
  return out.int8s();
}

struct ConvLimits {
  int32_t max_hw = 12, max_c = 20, max_oc = 20, max_k = 5;
  bool pointwise = false, dilation = true;
};

bool MakeConvCase(Rng& rng, const ConvLimits& lim, ConvCase* c) {
  const int32_t k_h = lim.pointwise ? 1 : rng.range(1, lim.max_k);
  const int32_t k_w = lim.pointwise ? 1 : rng.range(1, lim.max_k);
  c->in = {rng.range(1, 2), rng.range(1, lim.max_hw), rng.range(1, lim.max_hw),
           rng.range(1, lim.max_c)};
  c->filter = {rng.range(1, lim.max_oc), k_h, k_w, c->in.c};
  ts_conv_params& p = c->p;
  p.stride_h = rng.range(1, 2);
  p.stride_w = rng.range(1, 2);
  p.dilation_h = lim.dilation && rng.chance(20) ? 2 : 1;
  p.dilation_w = lim.dilation && rng.chance(20) ? rng.range(2, 3) : 1;
  const Padding mode = lim.pointwise ? Padding::kValid : RandomPadding(rng);
  int32_t oh, ow;
  if (!Axis(mode, c->in.h, k_h, p.stride_h, p.dilation_h, rng.range(0, k_h), &oh, &p.pad_h) ||
      !Axis(mode, c->in.w, k_w, p.stride_w, p.dilation_w, rng.range(0, k_w), &ow, &p.pad_w)) {
    return false;
  }
  c->out = {c->in.n, oh, ow, c->filter.n};
  p.input_offset = -rng.range(-128, 127);
  p.output_offset = rng.range(-128, 127);
  c->clamp = RandomClamp(rng, p.output_offset);
  p.act_min = c->clamp.lo;
  p.act_max = c->clamp.hi;
  c->input = rng.int8s(Elements(c->in));
  c->weights = rng.int8s(Elements(c->filter));
  const int32_t bits = AccBits(int64_t{k_h} * k_w * c->in.c);
  if (!rng.chance(15)) c->bias = RandomBias(rng, c->filter.n, bits);
  c->quant = RandomQuant(rng, c->filter.n, bits);
  return true;
}

std::string Describe(const ConvCase& c) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "in %dx%dx%dx%d filter %dx%dx%dx%d out %dx%dx%dx%d stride %d,%d pad %d,%d "
                "dilation %d,%d offsets %d,%d clamp %d..%d bias %s",
                c.in.n, c.in.h, c.in.w, c.in.c, c.filter.n, c.filter.h, c.filter.w, c.filter.c,
                c.out.n, c.out.h, c.out.w, c.out.c, c.p.stride_h, c.p.stride_w, c.p.pad_h,
                c.p.pad_w, c.p.dilation_h, c.p.dilation_w, c.p.input_offset, c.p.output_offset,
                c.clamp.lo, c.clamp.hi, c.bias.empty() ? "none" : "yes");
  return buf;
}

void CheckConvCases(uint64_t seed, int cases, const ConvLimits& lim) {
  Rng rng(seed);
  Coverage coverage;
  for (int done = 0; done < cases;) {
    ConvCase c;
    if (!MakeConvCase(rng, lim, &c)) continue;
    ++done;
    const std::vector<int8_t> expected = RefConv(c);
    const std::vector<int8_t> actual = RunConv(c);
    ASSERT_EQ(expected, actual) << "case " << done << ": " << Describe(c);
    coverage.add(actual, c.clamp);
  }
  coverage.expect_mostly_unsaturated();
}

TEST(Conv2D, RandomShapesPaddingStridesDilation) {
  CheckConvCases(1, 3000, {});
}

TEST(Conv2D, Pointwise1x1FastPath) {
  ConvLimits lim;
  lim.pointwise = true;
  lim.max_c = 70;
  lim.max_oc = 40;
  CheckConvCases(2, 1000, lim);
}

TEST(Conv2D, EveryDepthResidueAndOddChannelCount) {
  // k = kh * kw * in_c covers every residue mod 4 (the DSP tail) and out_c odd and even.
  Rng rng(3);
  for (int32_t in_c = 1; in_c <= 9; ++in_c) {
    for (int32_t out_c = 1; out_c <= 5; ++out_c) {
      for (int32_t kw = 1; kw <= 3; ++kw) {
        ConvCase c;
        c.in = {1, 5, 7, in_c};
        c.filter = {out_c, 3, kw, in_c};
        c.p = {1, 1, 1, kw / 2, 1, 1, -rng.range(-128, 127), rng.range(-128, 127), -128, 127};
        c.out = {1, 5, 7 - kw + 1 + 2 * (kw / 2), out_c};
        c.clamp = {-128, 127};
        c.input = rng.int8s(Elements(c.in));
        c.weights = rng.int8s(Elements(c.filter));
        const int32_t bits = AccBits(3 * kw * in_c);
        c.bias = RandomBias(rng, out_c, bits);
        c.quant = RandomQuant(rng, out_c, bits);
        ASSERT_EQ(RefConv(c), RunConv(c)) << Describe(c);
      }
    }
  }
}

TEST(Conv2D, SaturatesAtExtremes) {
  // All-extreme inputs and weights, huge multipliers and biases: every path must clamp alike.
  Rng rng(4);
  for (int i = 0; i < 40; ++i) {
    ConvCase c;
    c.in = {1, rng.range(2, 6), rng.range(2, 6), rng.range(1, 12)};
    c.filter = {rng.range(1, 9), 3, 3, c.in.c};
    // Inputs -128 with offset -127 or 127 with offset 128: every input term is +-255.
    c.p = {1, 1, 1, 1, 1, 1, i % 2 ? -127 : 128, 127 * (i % 3 == 0 ? -1 : 1), -128, 127};
    c.out = {1, c.in.h, c.in.w, c.filter.n};
    c.clamp = {-128, 127};
    c.input.assign(Elements(c.in), static_cast<int8_t>(i % 2 ? -128 : 127));
    c.weights.resize(Elements(c.filter));
    for (auto& w : c.weights) w = static_cast<int8_t>(rng.chance(50) ? -128 : 127);
    c.bias.assign(c.filter.n, 0);
    for (auto& b : c.bias) b = rng.chance(50) ? INT32_MAX / 2 : INT32_MIN / 2;
    for (int32_t oc = 0; oc < c.filter.n; ++oc) {
      c.quant.multiplier.push_back(rng.chance(50) ? INT32_MAX : 1 << 30);
      c.quant.shift.push_back(rng.range(-31, 0));
    }
    ASSERT_EQ(RefConv(c), RunConv(c)) << Describe(c);
  }
}

// Layer shapes of the bundled models (KWS DS-CNN, IC ResNet-8, VWW MobileNet): long depths,
// the unrolled product loop, stride 2 with SAME padding.
TEST(Conv2D, ModelLikeLayers) {
  struct Layer {
    ts_shape in;
    int32_t out_c, kh, kw, stride;
    Padding padding;
  };
  const Layer layers[] = {
      {{1, 49, 10, 1}, 64, 10, 4, 2, Padding::kSame},   // KWS first conv
      {{1, 25, 5, 64}, 64, 1, 1, 1, Padding::kValid},   // KWS pointwise
      {{1, 32, 32, 3}, 16, 3, 3, 1, Padding::kSame},    // IC first conv
      {{1, 16, 16, 16}, 32, 3, 3, 2, Padding::kSame},   // IC downsampling conv
      {{1, 8, 8, 64}, 64, 3, 3, 1, Padding::kSame},     // IC last stack, k = 576
      {{1, 16, 16, 16}, 32, 1, 1, 2, Padding::kValid},  // IC shortcut 1x1 stride 2
      {{1, 96, 96, 3}, 8, 3, 3, 2, Padding::kSame},     // VWW first conv
  };
  Rng rng(14);
  for (const Layer& l : layers) {
    ConvCase c;
    c.in = l.in;
    c.filter = {l.out_c, l.kh, l.kw, l.in.c};
    c.p = {l.stride, l.stride, 0, 0, 1, 1, -rng.range(-128, 127), rng.range(-128, 127), -128, 127};
    c.out = {1, 0, 0, l.out_c};
    Axis(l.padding, l.in.h, l.kh, l.stride, 1, 0, &c.out.h, &c.p.pad_h);
    Axis(l.padding, l.in.w, l.kw, l.stride, 1, 0, &c.out.w, &c.p.pad_w);
    c.clamp = RandomClamp(rng, c.p.output_offset);
    c.p.act_min = c.clamp.lo;
    c.p.act_max = c.clamp.hi;
    c.input = rng.int8s(Elements(c.in));
    c.weights = rng.int8s(Elements(c.filter));
    const int32_t bits = AccBits(int64_t{l.kh} * l.kw * l.in.c);
    c.bias = RandomBias(rng, l.out_c, bits);
    c.quant = RandomQuant(rng, l.out_c, bits);
    ASSERT_EQ(RefConv(c), RunConv(c)) << Describe(c);
  }
}

TEST(Conv2D, ScratchSizeIsTheDocumentedFormula) {
  ts_conv_params p{};
  ts_shape in{1, 8, 8, 3}, out{1, 8, 8, 16};
  ts_shape f1{16, 3, 3, 3};  // k = 27
  ts_shape f2{16, 1, 1, 64};
  EXPECT_EQ(ts_conv2d_s8_scratch_bytes(&p, &in, &f1, &out), 4u * 28u);
  EXPECT_EQ(ts_conv2d_s8_scratch_bytes(&p, &in, &f2, &out), 4u * 64u);
}

// ---- DEPTHWISE_CONV_2D --------------------------------------------------------------------------

struct DwCase {
  ts_dw_conv_params p{};
  ts_shape in{}, filter{}, out{};
  std::vector<int8_t> input, weights;
  std::vector<int32_t> bias;
  Quant quant;
  Clamp clamp{};
};

std::vector<int8_t> RefDepthwise(const DwCase& c) {
  std::vector<int8_t> out(Elements(c.out));
  const ts_conv_params& p = c.p.conv;
  const int32_t dm = c.p.depth_multiplier;
  for (int32_t n = 0; n < c.out.n; ++n) {
    for (int32_t oy = 0; oy < c.out.h; ++oy) {
      for (int32_t ox = 0; ox < c.out.w; ++ox) {
        for (int32_t ic = 0; ic < c.in.c; ++ic) {
          for (int32_t m = 0; m < dm; ++m) {
            const int32_t oc = ic * dm + m;
            int32_t acc = c.bias.empty() ? 0 : c.bias[oc];
            for (int32_t ky = 0; ky < c.filter.h; ++ky) {
              for (int32_t kx = 0; kx < c.filter.w; ++kx) {
                const int32_t y = oy * p.stride_h - p.pad_h + ky * p.dilation_h;
                const int32_t x = ox * p.stride_w - p.pad_w + kx * p.dilation_w;
                if (y < 0 || y >= c.in.h || x < 0 || x >= c.in.w) continue;
                const int32_t v = c.input[((n * c.in.h + y) * c.in.w + x) * c.in.c + ic];
                const int32_t w = c.weights[(ky * c.filter.w + kx) * c.filter.c + oc];
                acc += (v + p.input_offset) * w;
              }
            }
            out[((n * c.out.h + oy) * c.out.w + ox) * c.out.c + oc] =
                RefRequant(acc, c.quant.multiplier[oc], c.quant.shift[oc], p.output_offset,
                           c.clamp.lo, c.clamp.hi);
          }
        }
      }
    }
  }
  return out;
}

std::vector<int8_t> RunDepthwise(const DwCase& c) {
  Guarded scratch(ts_depthwise_conv2d_s8_scratch_bytes(&c.p, &c.in, &c.filter, &c.out), 0xA5);
  Guarded out(Elements(c.out));
  const ts_channel_quant q = c.quant.view();
  ts_depthwise_conv2d_s8(&c.p, &q, &c.in, c.input.data(), &c.filter, c.weights.data(),
                         c.bias.empty() ? nullptr : c.bias.data(), &c.out,
                         static_cast<int8_t*>(out.data()), scratch.data());
  EXPECT_TRUE(scratch.intact()) << "scratch overrun";
  EXPECT_TRUE(out.intact()) << "output overrun";
  return out.int8s();
}

TEST(DepthwiseConv2D, RandomShapesMultipliersPaddingStridesDilation) {
  Rng rng(5);
  Coverage coverage;
  for (int done = 0; done < 3000;) {
    DwCase c;
    // Up to 6x6: windows over 25 taps leave the DSP path for the portable one.
    const int32_t kh = rng.range(1, 6), kw = rng.range(1, 6);
    const int32_t dm = rng.chance(60) ? 1 : rng.range(2, 3);
    c.in = {rng.range(1, 2), rng.range(1, 12), rng.range(1, 12), rng.range(1, 19)};
    c.filter = {1, kh, kw, c.in.c * dm};
    ts_conv_params& p = c.p.conv;
    c.p.depth_multiplier = dm;
    p.stride_h = rng.range(1, 2);
    p.stride_w = rng.range(1, 2);
    p.dilation_h = rng.chance(20) ? 2 : 1;
    p.dilation_w = rng.chance(20) ? rng.range(2, 3) : 1;
    const Padding mode = RandomPadding(rng);
    int32_t oh, ow;
    if (!Axis(mode, c.in.h, kh, p.stride_h, p.dilation_h, rng.range(0, kh), &oh, &p.pad_h) ||
        !Axis(mode, c.in.w, kw, p.stride_w, p.dilation_w, rng.range(0, kw), &ow, &p.pad_w)) {
      continue;
    }
    ++done;
    c.out = {c.in.n, oh, ow, c.filter.c};
    p.input_offset = -rng.range(-128, 127);
    p.output_offset = rng.range(-128, 127);
    c.clamp = RandomClamp(rng, p.output_offset);
    p.act_min = c.clamp.lo;
    p.act_max = c.clamp.hi;
    c.input = rng.int8s(Elements(c.in));
    c.weights = rng.int8s(Elements(c.filter));
    const int32_t bits = AccBits(kh * kw);
    if (!rng.chance(15)) c.bias = RandomBias(rng, c.filter.c, bits);
    c.quant = RandomQuant(rng, c.filter.c, bits);
    const std::vector<int8_t> actual = RunDepthwise(c);
    ASSERT_EQ(RefDepthwise(c), actual)
        << "case " << done << ": in " << c.in.h << "x" << c.in.w << "x" << c.in.c << " k " << kh
        << "x" << kw << " dm " << dm << " stride " << p.stride_h << "," << p.stride_w << " pad "
        << p.pad_h << "," << p.pad_w << " dilation " << p.dilation_h << "," << p.dilation_w;
    coverage.add(actual, c.clamp);
  }
  coverage.expect_mostly_unsaturated();
}

TEST(DepthwiseConv2D, ChannelGroupsAndTails) {
  // 3x3 SAME over 1..13 channels: whole groups of 4, tails, and the unrolled 3-wide window.
  Rng rng(6);
  for (int32_t ch = 1; ch <= 13; ++ch) {
    for (int32_t stride = 1; stride <= 2; ++stride) {
      DwCase c;
      c.in = {1, 7, 6, ch};
      c.filter = {1, 3, 3, ch};
      c.p = {{stride, stride, 0, 0, 1, 1, -rng.range(-128, 127), rng.range(-128, 127), -128, 127},
             1};
      c.out = {1, 0, 0, ch};
      Axis(Padding::kSame, 7, 3, stride, 1, 0, &c.out.h, &c.p.conv.pad_h);
      Axis(Padding::kSame, 6, 3, stride, 1, 0, &c.out.w, &c.p.conv.pad_w);
      c.clamp = {-128, 127};
      c.input = rng.int8s(Elements(c.in));
      c.weights = rng.int8s(Elements(c.filter));
      c.bias = RandomBias(rng, ch, AccBits(9));
      c.quant = RandomQuant(rng, ch, AccBits(9));
      ASSERT_EQ(RefDepthwise(c), RunDepthwise(c)) << "channels " << ch << " stride " << stride;
    }
  }
}

TEST(DepthwiseConv2D, ChannelBlocksAndLargeWindows) {
  // The DSP path prepares channels in blocks (32, or 16 with the integer requantisation; fewer
  // for windows of more than 9 taps): depths across block boundaries with tails, 3x3 to 5x5
  // windows, dilation.
  Rng rng(17);
  const int32_t depths[] = {16, 17, 32, 36, 37, 64, 70, 101};
  for (const int32_t ch : depths) {
    for (int32_t k = 3; k <= 5; ++k) {
      DwCase c;
      c.in = {1, rng.range(3, 8), rng.range(3, 8), ch};
      c.filter = {1, k, k, ch};
      const int32_t dilation = rng.chance(25) ? 2 : 1;
      c.p = {{1, rng.range(1, 2), 0, 0, dilation, 1, -rng.range(-128, 127), rng.range(-128, 127),
              -128, 127},
             1};
      c.out = {1, 0, 0, ch};
      if (!Axis(Padding::kSame, c.in.h, k, 1, dilation, 0, &c.out.h, &c.p.conv.pad_h) ||
          !Axis(Padding::kSame, c.in.w, k, c.p.conv.stride_w, 1, 0, &c.out.w, &c.p.conv.pad_w)) {
        continue;
      }
      c.clamp = RandomClamp(rng, c.p.conv.output_offset);
      c.p.conv.act_min = c.clamp.lo;
      c.p.conv.act_max = c.clamp.hi;
      c.input = rng.int8s(Elements(c.in));
      c.weights = rng.int8s(Elements(c.filter));
      c.bias = RandomBias(rng, ch, AccBits(k * k));
      c.quant = RandomQuant(rng, ch, AccBits(k * k));
      ASSERT_EQ(RefDepthwise(c), RunDepthwise(c)) << "channels " << ch << " window " << k;
    }
  }
}

TEST(DepthwiseConv2D, ModelLikeLayers) {
  struct Layer {
    ts_shape in;
    int32_t stride;
  };
  const Layer layers[] = {
      {{1, 25, 5, 64}, 1},   // KWS
      {{1, 48, 48, 8}, 1},   // VWW early
      {{1, 12, 12, 64}, 2},  // VWW downsampling
      {{1, 3, 3, 256}, 1},   // VWW late
  };
  Rng rng(15);
  for (const Layer& l : layers) {
    DwCase c;
    c.in = l.in;
    c.filter = {1, 3, 3, l.in.c};
    c.p = {{l.stride, l.stride, 0, 0, 1, 1, -rng.range(-128, 127), rng.range(-128, 127), -128, 127},
           1};
    c.out = {1, 0, 0, l.in.c};
    Axis(Padding::kSame, l.in.h, 3, l.stride, 1, 0, &c.out.h, &c.p.conv.pad_h);
    Axis(Padding::kSame, l.in.w, 3, l.stride, 1, 0, &c.out.w, &c.p.conv.pad_w);
    c.clamp = RandomClamp(rng, c.p.conv.output_offset);
    c.p.conv.act_min = c.clamp.lo;
    c.p.conv.act_max = c.clamp.hi;
    c.input = rng.int8s(Elements(c.in));
    c.weights = rng.int8s(Elements(c.filter));
    c.bias = RandomBias(rng, l.in.c, AccBits(9));
    c.quant = RandomQuant(rng, l.in.c, AccBits(9));
    ASSERT_EQ(RefDepthwise(c), RunDepthwise(c)) << l.in.h << "x" << l.in.w << "x" << l.in.c;
  }
}

TEST(DepthwiseConv2D, ScratchSizeIsTheDocumentedFormula) {
  ts_dw_conv_params p{};
  p.depth_multiplier = 1;
  const ts_shape in{1, 8, 8, 13}, filter{1, 3, 3, 13}, out{1, 8, 8, 13};
  EXPECT_EQ(ts_depthwise_conv2d_s8_scratch_bytes(&p, &in, &filter, &out), 16u);
}

// ---- FULLY_CONNECTED ----------------------------------------------------------------------------

TEST(FullyConnected, RandomShapes) {
  Rng rng(7);
  Coverage coverage;
  for (int i = 0; i < 300; ++i) {
    const int32_t batches = rng.range(1, 3), in_depth = rng.range(1, 100),
                  out_depth = rng.range(1, 33);
    ts_fc_params p{-rng.range(-128, 127), rng.range(-128, 127), -128, 127};
    const Clamp clamp = RandomClamp(rng, p.output_offset);
    p.act_min = clamp.lo;
    p.act_max = clamp.hi;
    const auto input = rng.int8s(static_cast<size_t>(batches) * in_depth);
    const auto weights = rng.int8s(static_cast<size_t>(out_depth) * in_depth);
    const int32_t bits = AccBits(in_depth);
    std::vector<int32_t> bias;
    if (!rng.chance(15)) bias = RandomBias(rng, out_depth, bits);
    Quant quant = RandomQuant(rng, out_depth, bits);
    if (rng.chance(50)) {  // a per-tensor scale, replicated as the importer does
      std::fill(quant.multiplier.begin(), quant.multiplier.end(), quant.multiplier[0]);
      std::fill(quant.shift.begin(), quant.shift.end(), quant.shift[0]);
    }

    std::vector<int8_t> expected(static_cast<size_t>(batches) * out_depth);
    for (int32_t b = 0; b < batches; ++b) {
      for (int32_t o = 0; o < out_depth; ++o) {
        int32_t acc = bias.empty() ? 0 : bias[o];
        for (int32_t d = 0; d < in_depth; ++d) {
          acc += (input[b * in_depth + d] + p.input_offset) * weights[o * in_depth + d];
        }
        expected[b * out_depth + o] = RefRequant(acc, quant.multiplier[o], quant.shift[o],
                                                 p.output_offset, clamp.lo, clamp.hi);
      }
    }

    Guarded scratch(ts_fully_connected_s8_scratch_bytes(in_depth, out_depth), 0xA5);
    Guarded out(expected.size());
    const ts_channel_quant q = quant.view();
    ts_fully_connected_s8(&p, &q, batches, in_depth, input.data(), weights.data(),
                          bias.empty() ? nullptr : bias.data(), out_depth,
                          static_cast<int8_t*>(out.data()), scratch.data());
    ASSERT_TRUE(scratch.intact());
    ASSERT_TRUE(out.intact());
    ASSERT_EQ(expected, out.int8s())
        << "case " << i << ": " << batches << "x" << in_depth << " -> " << out_depth;
    coverage.add(expected, clamp);
  }
  coverage.expect_mostly_unsaturated();
}

// ---- Pooling ------------------------------------------------------------------------------------

struct PoolCase {
  ts_pool_params p{};
  ts_shape in{}, out{};
  std::vector<int8_t> input;
};

bool MakePoolCase(Rng& rng, PoolCase* c) {
  c->in = {rng.range(1, 2), rng.range(1, 11), rng.range(1, 11), rng.range(1, 9)};
  ts_pool_params& p = c->p;
  p.filter_h = rng.range(1, 4);
  p.filter_w = rng.range(1, 4);
  p.stride_h = rng.range(1, 3);
  p.stride_w = rng.range(1, 3);
  const Padding mode =
      RandomPadding(rng) == Padding::kExplicit ? Padding::kSame : RandomPadding(rng);
  int32_t oh, ow;
  if (!Axis(mode, c->in.h, p.filter_h, p.stride_h, 1, 0, &oh, &p.pad_h) ||
      !Axis(mode, c->in.w, p.filter_w, p.stride_w, 1, 0, &ow, &p.pad_w)) {
    return false;
  }
  c->out = {c->in.n, oh, ow, c->in.c};
  const Clamp clamp = RandomClamp(rng, rng.range(-128, 0));
  p.act_min = clamp.lo;
  p.act_max = clamp.hi;
  c->input = rng.int8s(Elements(c->in));
  return true;
}

// Calls f(n, oy, ox, ch, values inside the window) for every output element.
template <typename F>
void ForEachWindow(const PoolCase& c, F f) {
  for (int32_t n = 0; n < c.out.n; ++n) {
    for (int32_t oy = 0; oy < c.out.h; ++oy) {
      for (int32_t ox = 0; ox < c.out.w; ++ox) {
        for (int32_t ch = 0; ch < c.out.c; ++ch) {
          std::vector<int32_t> window;
          for (int32_t ky = 0; ky < c.p.filter_h; ++ky) {
            for (int32_t kx = 0; kx < c.p.filter_w; ++kx) {
              const int32_t y = oy * c.p.stride_h - c.p.pad_h + ky;
              const int32_t x = ox * c.p.stride_w - c.p.pad_w + kx;
              if (y < 0 || y >= c.in.h || x < 0 || x >= c.in.w) continue;
              window.push_back(c.input[((n * c.in.h + y) * c.in.w + x) * c.in.c + ch]);
            }
          }
          f(((n * c.out.h + oy) * c.out.w + ox) * c.out.c + ch, window);
        }
      }
    }
  }
}

TEST(AveragePool2D, RandomShapesRoundHalfAwayFromZero) {
  Rng rng(8);
  for (int done = 0; done < 400;) {
    PoolCase c;
    if (!MakePoolCase(rng, &c)) continue;
    ++done;
    std::vector<int8_t> expected(Elements(c.out));
    ForEachWindow(c, [&](size_t i, const std::vector<int32_t>& window) {
      int32_t sum = 0;
      for (int32_t v : window) sum += v;
      const int32_t count = static_cast<int32_t>(window.size());
      // Round half away from zero of sum / count, in exact integer arithmetic.
      const int32_t q = (2 * std::abs(sum) + count) / (2 * count);
      const int32_t mean = sum < 0 ? -q : q;
      expected[i] = static_cast<int8_t>(std::clamp(mean, c.p.act_min, c.p.act_max));
    });
    Guarded out(expected.size());
    ts_avg_pool2d_s8(&c.p, &c.in, c.input.data(), &c.out, static_cast<int8_t*>(out.data()));
    ASSERT_TRUE(out.intact());
    ASSERT_EQ(expected, out.int8s()) << "case " << done;
  }
}

TEST(AveragePool2D, GlobalWindowsOfEverySize) {
  // Windows of up to 255 elements take the DSP path's 16-bit sums; larger ones the 32-bit path.
  Rng rng(18);
  const int32_t sizes[][2] = {{25, 5}, {15, 17}, {16, 16}, {17, 17}, {8, 8}, {3, 2}};
  for (const auto& hw : sizes) {
    for (const int32_t ch : {4, 7, 64}) {
      PoolCase c;
      c.in = {1, hw[0], hw[1], ch};
      c.p = {1, 1, 0, 0, hw[0], hw[1], -128, 127};
      c.out = {1, 1, 1, ch};
      c.input = rng.int8s(Elements(c.in));
      if (rng.chance(50)) {  // all extreme: the largest sums
        for (auto& v : c.input) v = static_cast<int8_t>(rng.chance(50) ? -128 : 127);
      }
      std::vector<int8_t> expected(Elements(c.out));
      ForEachWindow(c, [&](size_t i, const std::vector<int32_t>& window) {
        int32_t sum = 0;
        for (const int32_t v : window) sum += v;
        const int32_t n = static_cast<int32_t>(window.size());
        expected[i] = static_cast<int8_t>(
            std::clamp(static_cast<int32_t>(std::lround(static_cast<double>(sum) / n)), -128, 127));
      });
      std::vector<int8_t> out(Elements(c.out));
      ts_avg_pool2d_s8(&c.p, &c.in, c.input.data(), &c.out, out.data());
      ASSERT_EQ(expected, out) << hw[0] << "x" << hw[1] << "x" << ch;
    }
  }
}

TEST(AveragePool2D, HalvesRoundAwayFromZero) {
  // Windows of two: (1 + 2) / 2 = 1.5 -> 2 and (-1 - 2) / 2 = -1.5 -> -2.
  const ts_pool_params p{1, 1, 0, 0, 1, 2, -128, 127};
  const ts_shape in{1, 1, 4, 1}, out{1, 1, 3, 1};
  const int8_t input[4] = {1, 2, -1, -2};
  int8_t output[3];
  ts_avg_pool2d_s8(&p, &in, input, &out, output);
  EXPECT_EQ(output[0], 2);
  EXPECT_EQ(output[1], 1);  // (2 - 1) / 2 = 0.5 -> 1
  EXPECT_EQ(output[2], -2);
}

TEST(MaxPool2D, RandomShapes) {
  Rng rng(9);
  for (int done = 0; done < 400;) {
    PoolCase c;
    if (!MakePoolCase(rng, &c)) continue;
    ++done;
    std::vector<int8_t> expected(Elements(c.out));
    ForEachWindow(c, [&](size_t i, const std::vector<int32_t>& window) {
      const int32_t m = *std::max_element(window.begin(), window.end());
      expected[i] = static_cast<int8_t>(std::clamp(m, c.p.act_min, c.p.act_max));
    });
    Guarded out(expected.size());
    ts_max_pool2d_s8(&c.p, &c.in, c.input.data(), &c.out, static_cast<int8_t*>(out.data()));
    ASSERT_TRUE(out.intact());
    ASSERT_EQ(expected, out.int8s()) << "case " << done;
  }
}

// ---- ADD ----------------------------------------------------------------------------------------

int8_t RefAdd(const ts_add_params& p, int8_t a, int8_t b) {
  const int32_t sa = (a + p.input1_offset) * (1 << p.left_shift);
  const int32_t sb = (b + p.input2_offset) * (1 << p.left_shift);
  const int32_t sum = RefMultiplyByQuantizedMultiplier(sa, p.input1_multiplier, p.input1_shift) +
                      RefMultiplyByQuantizedMultiplier(sb, p.input2_multiplier, p.input2_shift);
  const int32_t v =
      RefMultiplyByQuantizedMultiplier(sum, p.output_multiplier, p.output_shift) + p.output_offset;
  return static_cast<int8_t>(std::clamp(v, p.act_min, p.act_max));
}

TEST(Add, RandomScalesMatchReferenceAndFloat) {
  Rng rng(10);
  for (int i = 0; i < 200; ++i) {
    const double s1 = std::ldexp(1.0 + rng.range(0, 1000) / 1000.0, rng.range(-9, -3));
    const double s2 = std::ldexp(1.0 + rng.range(0, 1000) / 1000.0, rng.range(-9, -3));
    const double so = std::ldexp(1.0 + rng.range(0, 1000) / 1000.0, rng.range(-8, -3));
    const int32_t z1 = rng.range(-128, 127), z2 = rng.range(-128, 127), zo = rng.range(-128, 127);
    ts_add_params p;
    ts_add_prepare(s1, z1, s2, z2, so, zo, -128, 127, &p);
    ASSERT_EQ(p.left_shift, 20);
    ASSERT_LE(p.input1_shift, 0);
    ASSERT_LE(p.input2_shift, 0);
    const int32_t size = rng.range(1, 200);  // the kernel works in chunks of 64
    const auto a = rng.int8s(size), b = rng.int8s(size);
    std::vector<int8_t> out(size);
    ts_add_s8(&p, size, a.data(), b.data(), out.data());
    for (int32_t j = 0; j < size; ++j) {
      ASSERT_EQ(out[j], RefAdd(p, a[j], b[j])) << "case " << i << " element " << j;
      // And the fixed-point result is the real sum, rounded, within one step.
      const double real = s1 * (a[j] - z1) + s2 * (b[j] - z2);
      const double want = std::clamp(std::round(real / so) + zo, -128.0, 127.0);
      ASSERT_LE(std::abs(out[j] - want), 1.0) << "case " << i << " element " << j;
    }
    std::vector<int8_t> in_place = a;  // out == in1 is allowed
    ts_add_s8(&p, size, in_place.data(), b.data(), in_place.data());
    ASSERT_EQ(in_place, out);
  }
}

TEST(Add, ArbitraryParametersMatchReference) {
  // Multipliers and shifts outside what ts_add_prepare makes (the kernel's generic path).
  Rng rng(16);
  for (int i = 0; i < 300; ++i) {
    ts_add_params p;
    p.input1_offset = -rng.range(-128, 127);
    p.input2_offset = -rng.range(-128, 127);
    p.output_offset = rng.range(-128, 127);
    p.left_shift = rng.range(0, 20);
    p.input1_multiplier = rng.range(1 << 30, INT32_MAX);
    p.input2_multiplier = rng.range(1 << 30, INT32_MAX);
    p.output_multiplier = rng.range(1 << 30, INT32_MAX);
    p.input1_shift = rng.range(-3, 1);
    p.input2_shift = rng.range(-3, 1);
    p.output_shift = rng.range(-24, 1);
    const Clamp clamp = RandomClamp(rng, p.output_offset);
    p.act_min = clamp.lo;
    p.act_max = clamp.hi;
    const int32_t size = rng.range(1, 150);
    const auto a = rng.int8s(size), b = rng.int8s(size);
    std::vector<int8_t> out(size);
    ts_add_s8(&p, size, a.data(), b.data(), out.data());
    for (int32_t j = 0; j < size; ++j) {
      ASSERT_EQ(out[j], RefAdd(p, a[j], b[j])) << "case " << i << " element " << j;
    }
  }
}

TEST(Add, ClampsToActivationRange) {
  ts_add_params p;
  ts_add_prepare(0.05, 0, 0.05, 0, 0.05, -128, -128, 0, &p);  // a ReLU-N style clamp
  const int8_t a[3] = {127, -128, 10}, b[3] = {127, -128, 20};
  int8_t out[3];
  ts_add_s8(&p, 3, a, b, out);
  EXPECT_EQ(out[0], 0);     // 254 - 128 clamps at act_max 0
  EXPECT_EQ(out[1], -128);  // clamps at act_min
  EXPECT_EQ(out[2], -98);   // 30 - 128
}

// ---- SOFTMAX ------------------------------------------------------------------------------------

TEST(Softmax, PrepareMatchesTfliteFormulas) {
  ts_softmax_params p;
  ts_softmax_prepare(1.0, 1.0 / 16, &p);  // beta * scale * 2^26 = 2^22
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.input_left_shift, 23);
  EXPECT_EQ(p.diff_min, -248);  // floor(31 * 2^26 / 2^23)
}

TEST(Softmax, CloseToFloatSoftmax) {
  Rng rng(11);
  int64_t compared = 0, exact = 0;
  for (int i = 0; i < 300; ++i) {
    const double scale = std::ldexp(1.0 + rng.range(0, 1000) / 1000.0, rng.range(-6, -1));
    const double beta = rng.chance(80) ? 1.0 : 0.5 + rng.range(0, 100) / 100.0;
    ts_softmax_params p;
    ts_softmax_prepare(beta, scale, &p);
    const int32_t outer = rng.range(1, 4), depth = rng.range(1, 40);
    std::vector<int8_t> in = rng.int8s(static_cast<size_t>(outer) * depth);
    std::vector<int8_t> out(in.size());
    ts_softmax_s8(&p, outer, depth, in.data(), out.data());
    for (int32_t r = 0; r < outer; ++r) {
      const int8_t* row = in.data() + r * depth;
      const int32_t mx = *std::max_element(row, row + depth);
      double sum = 0;
      for (int32_t c = 0; c < depth; ++c) sum += std::exp(beta * scale * (row[c] - mx));
      for (int32_t c = 0; c < depth; ++c) {
        const double prob = std::exp(beta * scale * (row[c] - mx)) / sum;
        const double want = std::clamp(std::round(prob * 256.0) - 128.0, -128.0, 127.0);
        const int8_t got = out[r * depth + c];
        ASSERT_LE(std::abs(got - want), 1.0)
            << "case " << i << " row " << r << " col " << c << " prob " << prob;
        ++compared;
        exact += got == want ? 1 : 0;
      }
    }
    std::vector<int8_t> in_place = in;  // out == in is allowed
    ts_softmax_s8(&p, outer, depth, in_place.data(), in_place.data());
    ASSERT_EQ(in_place, out);
  }
  EXPECT_GT(static_cast<double>(exact) / static_cast<double>(compared), 0.9);
}

TEST(Softmax, KnownValues) {
  ts_softmax_params p;
  ts_softmax_prepare(1.0, 0.1, &p);
  const int8_t one[1] = {17};
  int8_t out1[1];
  ts_softmax_s8(&p, 1, 1, one, out1);
  EXPECT_EQ(out1[0], 127);  // probability 1 = 256/256 saturates
  const int8_t four[4] = {-5, -5, -5, -5};
  int8_t out4[4];
  ts_softmax_s8(&p, 1, 4, four, out4);
  for (int8_t v : out4) EXPECT_EQ(v, -64);  // 1/4 -> 64 - 128
  const int8_t far[2] = {127, -128};        // the difference is beyond diff_min
  int8_t out2[2];
  ts_softmax_s8(&p, 1, 2, far, out2);
  EXPECT_EQ(out2[0], 127);
  EXPECT_EQ(out2[1], -128);
}

// ---- Arithmetic helpers ------------------------------------------------------------------------

TEST(Quantization, MultiplyByQuantizedMultiplierMatchesDefinition) {
  Rng rng(12);
  const int32_t specials[] = {0, 1, -1, 2, -2, INT32_MAX, INT32_MIN, INT32_MIN + 1, 1 << 30};
  // Shifts <= -2 with multipliers >= 0 take the single multiply-add form, the rest the
  // definition's two steps; both must agree with the definition everywhere.
  for (int i = 0; i < 1000000; ++i) {
    int32_t x = static_cast<int32_t>(rng.next());
    if (rng.chance(30)) x >>= rng.range(0, 31);
    if (rng.chance(2)) x = specials[rng.range(0, 8)];
    int32_t m = rng.range(1 << 30, INT32_MAX);
    if (rng.chance(2)) m = specials[rng.range(0, 8)];
    const int32_t shift = rng.range(-31, 8);
    ASSERT_EQ(ts_multiply_by_quantized_multiplier(x, m, shift),
              RefMultiplyByQuantizedMultiplier(x, m, shift))
        << x << " " << m << " " << shift;
  }
  EXPECT_EQ(ts_multiply_by_quantized_multiplier(INT32_MIN, INT32_MIN, 0), INT32_MAX);
  // 5 * 0.25: the doubling high multiply rounds 2.5 up to 3, the shift rounds 1.5 to 2. TFLite's
  // default (double) rounding, not round(1.25) = 1.
  EXPECT_EQ(ts_multiply_by_quantized_multiplier(5, 1 << 30, -1), 2);
  EXPECT_EQ(ts_multiply_by_quantized_multiplier(4, 1 << 30, -1), 1);
  EXPECT_EQ(ts_multiply_by_quantized_multiplier(6, 1 << 30, -1), 2);    // 1.5 -> 2
  EXPECT_EQ(ts_multiply_by_quantized_multiplier(-6, 1 << 30, -1), -2);  // -1.5 -> -2
  EXPECT_EQ(ts_multiply_by_quantized_multiplier(3, 1 << 30, 2), 6);     // 3 * 0.5 * 4
}

TEST(Quantization, QuantizeMultiplier) {
  struct Known {
    double real;
    int32_t multiplier, shift;
  };
  const Known known[] = {
      {0.0, 0, 0},          {0.5, 1 << 30, 0},         {1.0, 1 << 30, 1}, {0.75, 1610612736, 0},
      {3.0, 1610612736, 2}, {1.0 - 1e-12, 1 << 30, 1},  // rounds up to 2^31: halved, shift + 1
      {1e-10, 0, 0}};                                   // below 2^-32: represented as 0
  for (const Known& k : known) {
    int32_t m, s;
    ts_quantize_multiplier(k.real, &m, &s);
    EXPECT_EQ(m, k.multiplier) << k.real;
    EXPECT_EQ(s, k.shift) << k.real;
  }
  Rng rng(13);
  for (int i = 0; i < 10000; ++i) {
    const double real = std::ldexp(0.5 + (rng.next() / 4294967296.0) / 2, rng.range(-30, 20));
    int32_t m, s;
    ts_quantize_multiplier(real, &m, &s);
    ASSERT_GE(m, 1 << 30);
    ASSERT_LE(std::abs(std::ldexp(m, s - 31) - real), std::ldexp(1.0, s - 32));
  }
}

TEST(Build, ImplementationIsTheOneLinked) {
#ifdef TS_NN_TEST_DSP
  EXPECT_STREQ(ts_nn_implementation(), "dsp");
#else
  EXPECT_STREQ(ts_nn_implementation(), "portable");
#endif
#if defined(TS_NN_TEST_TFLITE)
  EXPECT_STREQ(ts_nn_requantization(), "tflite");
#elif defined(TS_NN_TEST_INTEGER)
  EXPECT_STREQ(ts_nn_requantization(), "xnnpack-integer");
#else
  EXPECT_STREQ(ts_nn_requantization(), "xnnpack-float");
#endif
}

#ifndef TS_NN_TEST_TFLITE
TEST(XnnpackRequantization, RoundsHalvesToEven) {
  // 1x1 conv of one channel, weight 1, scale 1/2 (multiplier 2^30, shift 0): 1 -> 0.5 -> 0,
  // 3 -> 1.5 -> 2, -1 -> -0.5 -> 0, -3 -> -1.5 -> -2 (fixed point would give 1, 2, -1, -2).
  const ts_conv_params p{1, 1, 0, 0, 1, 1, 0, 0, -128, 127};
  const int32_t mult = 1 << 30, shift = 0;
  const ts_channel_quant q{&mult, &shift};
  const ts_shape in{1, 1, 4, 1}, filter{1, 1, 1, 1}, out{1, 1, 4, 1};
  const int8_t input[4] = {1, 3, -1, -3}, weight[1] = {1};
  int8_t output[4];
  std::vector<uint8_t> scratch(ts_conv2d_s8_scratch_bytes(&p, &in, &filter, &out) + 4);
  ts_conv2d_s8(&p, &q, &in, input, &filter, weight, nullptr, &out, output, scratch.data());
  EXPECT_EQ(output[0], 0);
  EXPECT_EQ(output[1], 2);
  EXPECT_EQ(output[2], 0);
  EXPECT_EQ(output[3], -2);
}
#endif

#ifdef TS_NN_TEST_DSP
// The emulations against the instruction definitions in the Armv7-M Architecture Reference
// Manual (lanes: bytes b0..b3, halfwords lo/hi).
TEST(EmulatedIntrinsics, MatchTheArchitecture) {
  const int32_t x = static_cast<int32_t>(0x80FF7F01u);  // b3 = -128, b2 = -1, b1 = 127, b0 = 1
  EXPECT_EQ(static_cast<uint32_t>(ts__sxtb16(x)), 0xFFFF0001u);             // [b0, b2]
  EXPECT_EQ(static_cast<uint32_t>(ts__sxtb16_ror8(x)), 0xFF80007Fu);        // [b1, b3]
  const int32_t off = static_cast<int32_t>(0x00050005u);                    // +5 in both lanes
  EXPECT_EQ(static_cast<uint32_t>(ts__sxtab16(off, x)), 0x00040006u);       // [1 + 5, -1 + 5]
  EXPECT_EQ(static_cast<uint32_t>(ts__sxtab16_ror8(off, x)), 0xFF850084u);  // [132, -123]
  const int32_t a = static_cast<int32_t>(0xFFFE0003u);                      // [3, -2]
  const int32_t b = static_cast<int32_t>(0x00070005u);                      // [5, 7]
  EXPECT_EQ(ts__smlad(a, b, 100), 100 + 15 - 14);
  EXPECT_EQ(ts__smlabb(a, b, 100), 115);
  EXPECT_EQ(ts__smlatt(a, b, 100), 86);
  // SMLAD keeps the low 32 bits on overflow.
  const int32_t big = static_cast<int32_t>(0x80008000u);  // [-32768, -32768]
  EXPECT_EQ(ts__smlad(big, big, INT32_MAX), static_cast<int32_t>(0x7FFFFFFFu + 0x80000000u));
}
#endif

}  // namespace
