#include "workloads/importer/quantization.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "workloads/importer/import_error.h"

namespace tinysim::importer {

QuantizedMultiplier quantize_multiplier(double real) {
  QuantizedMultiplier q;
  if (!(real > 0.0) || !std::isfinite(real)) return q;  // 0, negative or NaN: no scaling
  int exponent = 0;
  const double significand = std::frexp(real, &exponent);  // in [0.5, 1)
  auto fixed = static_cast<int64_t>(std::round(significand * 2147483648.0));
  if (fixed == (int64_t{1} << 31)) {  // rounded up to 1.0
    fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) return q;  // below the smallest representable multiplier
  if (exponent > 30) {
    exponent = 30;
    fixed = std::numeric_limits<int32_t>::max();
  }
  q.multiplier = static_cast<int32_t>(fixed);
  q.shift = exponent;
  return q;
}

ActivationRange activation_range_int8(Activation activation, float scale, int32_t zero_point) {
  constexpr int32_t kMin = -128;
  constexpr int32_t kMax = 127;
  // Real value to the nearest quantised value, in float as the interpreter does it.
  auto quantize = [&](float real) {
    return zero_point + static_cast<int32_t>(std::round(real / scale));
  };
  ActivationRange range{kMin, kMax};
  switch (activation) {
    case Activation::kNone:
      break;
    case Activation::kRelu:
      range.min = std::max(kMin, quantize(0.0f));
      break;
    case Activation::kRelu6:
      range.min = std::max(kMin, quantize(0.0f));
      range.max = std::min(kMax, quantize(6.0f));
      break;
    case Activation::kReluN1To1:
      range.min = std::max(kMin, quantize(-1.0f));
      range.max = std::min(kMax, quantize(1.0f));
      break;
    default:
      throw ImportError("fused activation " + activation_name(activation) + " is not supported");
  }
  return range;
}

AddQuantization add_quantization(float input1_scale, float input2_scale, float output_scale) {
  AddQuantization q;
  q.left_shift = 20;
  const double twice_max_input_scale =
      2.0 * std::max(static_cast<double>(input1_scale), static_cast<double>(input2_scale));
  const double real_input1 = static_cast<double>(input1_scale) / twice_max_input_scale;
  const double real_input2 = static_cast<double>(input2_scale) / twice_max_input_scale;
  const double real_output =
      twice_max_input_scale / (static_cast<double>(1 << q.left_shift) * output_scale);
  // All three are below one, so their shifts are <= 0 (right shifts).
  q.input1 = quantize_multiplier(real_input1);
  q.input2 = quantize_multiplier(real_input2);
  q.output = quantize_multiplier(real_output);
  return q;
}

int32_t softmax_input_radius(int integer_bits, int left_shift) {
  const double max_input_rescaled = 1.0 * ((1 << integer_bits) - 1) *
                                    static_cast<double>(int64_t{1} << (31 - integer_bits)) /
                                    static_cast<double>(int64_t{1} << left_shift);
  return static_cast<int32_t>(std::floor(max_input_rescaled));
}

SoftmaxQuantization softmax_quantization(float beta, float input_scale) {
  const int bits = kSoftmaxScaledDiffIntegerBits;
  const double real = std::min(static_cast<double>(beta) * static_cast<double>(input_scale) *
                                   static_cast<double>(int64_t{1} << (31 - bits)),
                               static_cast<double>(int64_t{1} << 31) - 1.0);
  const QuantizedMultiplier q = quantize_multiplier(real);
  if (q.multiplier == 0 || q.shift < 0) {
    throw ImportError("softmax beta * input scale is too small for the fixed-point scheme");
  }
  SoftmaxQuantization s;
  s.input_multiplier = q.multiplier;
  s.input_left_shift = q.shift;
  s.diff_min = -softmax_input_radius(bits, q.shift);
  return s;
}

int32_t output_size(Padding padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation) {
  // 64-bit intermediates: hostile files may carry huge dimensions.
  const int64_t effective_filter = (int64_t{filter} - 1) * dilation + 1;
  const int64_t out = padding == Padding::kSame
                          ? (int64_t{in} + stride - 1) / stride
                          : (int64_t{in} - effective_filter + stride) / stride;
  return static_cast<int32_t>(std::clamp<int64_t>(out, -1, std::numeric_limits<int32_t>::max()));
}

int32_t padding_before(int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t out) {
  const int64_t effective_filter = (int64_t{filter} - 1) * dilation + 1;
  const int64_t total = std::max<int64_t>(0, (int64_t{out} - 1) * stride + effective_filter - in);
  return static_cast<int32_t>(std::min<int64_t>(total / 2, std::numeric_limits<int32_t>::max()));
}

}  // namespace tinysim::importer
