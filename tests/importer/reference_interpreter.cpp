#include "tests/importer/reference_interpreter.h"

#include <tinysim/nn.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

namespace tinysim::importer::testing {
namespace {

class Interpreter {
 public:
  Interpreter(const LoweredGraph& lowered, Requantization requantization)
      : lowered_(lowered), graph_(*lowered.graph), requantization_(requantization) {}

  std::vector<int8_t> run(const std::vector<int8_t>& input) {
    values_[lowered_.input] = input;
    for (const KernelCall& call : lowered_.calls) execute(call);
    return values_[lowered_.output];
  }

 private:
  float scale(int32_t t) const {
    return graph_.tensors[static_cast<size_t>(t)].quantization.scale[0];
  }

  const int8_t* weights(const KernelCall& c) const {
    return reinterpret_cast<const int8_t*>(
        graph_.tensors[static_cast<size_t>(c.filter)].data.data());
  }

  int32_t bias(const KernelCall& c, int32_t channel) const {
    if (c.bias < 0) return 0;
    int32_t value;
    std::memcpy(&value, graph_.tensors[static_cast<size_t>(c.bias)].data.data() + 4 * channel, 4);
    return value;
  }

  int8_t requantize(const KernelCall& c, int32_t acc, int32_t channel) const {
    int32_t scaled;
    if (requantization_ == Requantization::kTflite) {
      scaled = ts_multiply_by_quantized_multiplier(acc, c.multipliers[static_cast<size_t>(channel)],
                                                   c.shifts[static_cast<size_t>(channel)]);
    } else {
      const auto& w = graph_.tensors[static_cast<size_t>(c.filter)].quantization.scale;
      const float weight_scale = w.size() == 1 ? w[0] : w[static_cast<size_t>(channel)];
      const float s = scale(c.input) * weight_scale / scale(c.output);
      if (requantization_ == Requantization::kFloat32) {
        scaled = static_cast<int32_t>(std::nearbyint(static_cast<float>(acc) * s));  // ties to even
      } else {
        int32_t significand = 0;
        int32_t exponent = 0;
        float_parts(s, &significand, &exponent);
        scaled = requantize_float32_integer(acc, significand, exponent);
      }
    }
    return static_cast<int8_t>(std::clamp(scaled + c.output_offset, c.act.min, c.act.max));
  }

  void execute(const KernelCall& c) {
    const std::vector<int8_t>& in = values_[c.input];
    std::vector<int8_t>& out = values_[c.output];
    out.assign(static_cast<size_t>(graph_.tensors[static_cast<size_t>(c.output)].element_count()),
               0);
    const Shape4& is = c.in_shape;
    const Shape4& os = c.out_shape;
    const Shape4& fs = c.filter_shape;
    auto at = [&](int32_t b, int32_t y, int32_t x, int32_t ch) {
      return in[static_cast<size_t>(((b * is.h + y) * is.w + x) * is.c + ch)];
    };
    switch (c.kind) {
      case KernelKind::kConv2D:
      case KernelKind::kDepthwiseConv2D: {
        const bool depthwise = c.kind == KernelKind::kDepthwiseConv2D;
        const int8_t* w = weights(c);
        size_t o = 0;
        for (int32_t b = 0; b < os.n; ++b)
          for (int32_t oy = 0; oy < os.h; ++oy)
            for (int32_t ox = 0; ox < os.w; ++ox)
              for (int32_t oc = 0; oc < os.c; ++oc) {
                int32_t acc = bias(c, oc);
                for (int32_t ky = 0; ky < fs.h; ++ky)
                  for (int32_t kx = 0; kx < fs.w; ++kx) {
                    const int32_t y = oy * c.stride_h - c.pad_h + ky * c.dilation_h;
                    const int32_t x = ox * c.stride_w - c.pad_w + kx * c.dilation_w;
                    if (y < 0 || y >= is.h || x < 0 || x >= is.w) continue;
                    if (depthwise) {
                      const int32_t ic = oc / c.depth_multiplier;
                      acc += w[(ky * fs.w + kx) * fs.c + oc] * (at(b, y, x, ic) + c.input_offset);
                    } else {
                      for (int32_t ic = 0; ic < is.c; ++ic) {
                        acc += w[((oc * fs.h + ky) * fs.w + kx) * fs.c + ic] *
                               (at(b, y, x, ic) + c.input_offset);
                      }
                    }
                  }
                out[o++] = requantize(c, acc, oc);
              }
        break;
      }
      case KernelKind::kFullyConnected: {
        const int8_t* w = weights(c);
        for (int32_t b = 0; b < c.batches; ++b)
          for (int32_t oc = 0; oc < c.out_depth; ++oc) {
            int32_t acc = bias(c, oc);
            for (int32_t i = 0; i < c.in_depth; ++i) {
              acc += w[oc * c.in_depth + i] *
                     (in[static_cast<size_t>(b * c.in_depth + i)] + c.input_offset);
            }
            out[static_cast<size_t>(b * c.out_depth + oc)] = requantize(c, acc, oc);
          }
        break;
      }
      case KernelKind::kAveragePool2D:
      case KernelKind::kMaxPool2D: {
        size_t o = 0;
        for (int32_t b = 0; b < os.n; ++b)
          for (int32_t oy = 0; oy < os.h; ++oy)
            for (int32_t ox = 0; ox < os.w; ++ox)
              for (int32_t ch = 0; ch < os.c; ++ch) {
                int32_t sum = 0, count = 0, max = -128;
                for (int32_t ky = 0; ky < c.pool_h; ++ky)
                  for (int32_t kx = 0; kx < c.pool_w; ++kx) {
                    const int32_t y = oy * c.stride_h - c.pad_h + ky;
                    const int32_t x = ox * c.stride_w - c.pad_w + kx;
                    if (y < 0 || y >= is.h || x < 0 || x >= is.w) continue;
                    sum += at(b, y, x, ch);
                    max = std::max<int32_t>(max, at(b, y, x, ch));
                    ++count;
                  }
                int32_t v = max;
                if (c.kind == KernelKind::kAveragePool2D) {  // rounded half away from zero
                  v = sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                }
                out[o++] = static_cast<int8_t>(std::clamp(v, c.act.min, c.act.max));
              }
        break;
      }
      case KernelKind::kAdd: {
        ts_add_params p{c.input_offset,
                        c.input2_offset,
                        c.output_offset,
                        c.add.left_shift,
                        c.add.input1.multiplier,
                        c.add.input1.shift,
                        c.add.input2.multiplier,
                        c.add.input2.shift,
                        c.add.output.multiplier,
                        c.add.output.shift,
                        c.act.min,
                        c.act.max};
        ts_add_s8(&p, static_cast<int32_t>(c.size), in.data(), values_[c.input2].data(),
                  out.data());
        break;
      }
      case KernelKind::kSoftmax: {
        const ts_softmax_params p{c.softmax.input_multiplier, c.softmax.input_left_shift,
                                  c.softmax.diff_min};
        ts_softmax_s8(&p, c.outer, c.depth, in.data(), out.data());
        break;
      }
      case KernelKind::kReshape:
        out = in;
        break;
    }
  }

  const LoweredGraph& lowered_;
  const Graph& graph_;
  const Requantization requantization_;
  std::map<int32_t, std::vector<int8_t>> values_;
};

int bit_length(uint64_t x) {
  return x == 0 ? 0 : 64 - __builtin_clzll(x);
}

// x / 2^shift rounded to nearest, ties to even. REQUIRES: 0 < shift < 64.
uint64_t shift_right_round_even(uint64_t x, int shift) {
  const uint64_t q = x >> shift;
  const uint64_t rem = x & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  return (rem > half || (rem == half && (q & 1))) ? q + 1 : q;
}

// Rounds the value m * 2^e (m > 0) to 24 significant bits, ties to even, as float arithmetic
// does; m is kept below 2^25.
void round_to_float(uint64_t& m, int& e) {
  const int excess = bit_length(m) - 24;
  if (excess > 0) {
    m = shift_right_round_even(m, excess);
    e += excess;
  }
}

}  // namespace

void float_parts(float scale, int32_t* significand, int32_t* exponent) {
  int e = 0;
  const float f = std::frexp(scale, &e);                   // scale = f * 2^e, f in [0.5, 1)
  *significand = static_cast<int32_t>(std::ldexp(f, 24));  // exact: 24 bits
  *exponent = e - 24;
}

int32_t requantize_float32_integer(int32_t acc, int32_t significand, int32_t exponent) {
  if (acc == 0) return 0;
  const bool negative = acc < 0;
  uint64_t m = negative ? uint64_t{0} - static_cast<uint64_t>(static_cast<int64_t>(acc))
                        : static_cast<uint64_t>(acc);
  int e = 0;
  round_to_float(m, e);                     // float(acc)
  m *= static_cast<uint64_t>(significand);  // < 2^25 * 2^24: exact
  e += exponent;
  round_to_float(m, e);  // float(acc) * scale, rounded to float
  uint64_t magnitude;
  if (e >= 0) {
    magnitude = (e >= 40 || bit_length(m) + e > 40) ? (uint64_t{1} << 40) : (m << e);
  } else if (-e >= 63) {
    magnitude = 0;  // below 2^-38: rounds to 0
  } else {
    magnitude = shift_right_round_even(m, -e);  // to an integer, ties to even
  }
  const int64_t value =
      negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  return static_cast<int32_t>(std::clamp<int64_t>(value, INT32_MIN, INT32_MAX));
}

std::vector<int8_t> interpret(const LoweredGraph& lowered, const std::vector<int8_t>& input,
                              Requantization requantization) {
  return Interpreter(lowered, requantization).run(input);
}

std::vector<int8_t> xorshift_input(uint32_t seed, size_t size) {
  std::vector<int8_t> input(size);
  uint32_t x = seed;
  for (int8_t& v : input) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v = static_cast<int8_t>(static_cast<int32_t>(x & 0xffu) - 128);
  }
  return input;
}

}  // namespace tinysim::importer::testing
