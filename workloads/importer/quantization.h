// Quantisation maths: the fixed-point parameters TFLite's int8 kernels derive from the float
// scales of a model, computed on the host exactly as TFLite's Prepare steps do, so the
// generated firmware only needs integer arithmetic.
//
// Conventions (those of the tinysim_nn kernels, <tinysim/nn.h>): a real multiplier M is
// represented as a Q31 `multiplier` in [2^30, 2^31) and a power-of-two `shift` with
// M ~= multiplier * 2^(shift - 31); shift > 0 is a left shift.
#pragma once

#include <cstdint>

#include "workloads/importer/graph.h"

namespace tinysim::importer {

struct QuantizedMultiplier {
  int32_t multiplier = 0;  // Q31; 0 when the real multiplier is 0 or too small to represent
  int32_t shift = 0;       // exponent: > 0 left, < 0 right
};

// Splits `real` (>= 0) into a Q31 significand and an exponent with frexp, rounding the
// significand to the nearest (ties away from zero). Multipliers below 2^-31 become 0; the
// exponent is capped at 30 (the significand then saturates to 2^31 - 1).
QuantizedMultiplier quantize_multiplier(double real);

// The [act_min, act_max] clamp of a fused activation on an int8 output with `scale` and
// `zero_point` (TFLite CalculateActivationRangeQuantized). Throws ImportError for activations
// other than NONE, RELU, RELU_N1_TO_1 and RELU6.
struct ActivationRange {
  int32_t min = -128;
  int32_t max = 127;
};
ActivationRange activation_range_int8(Activation activation, float scale, int32_t zero_point);

// ADD with rescaling: both inputs are brought to a common scale of twice the larger input
// scale, shifted left by `left_shift` (20 for int8) for headroom, added, then rescaled to the
// output scale.
struct AddQuantization {
  int32_t left_shift = 20;
  QuantizedMultiplier input1;
  QuantizedMultiplier input2;
  QuantizedMultiplier output;
};
AddQuantization add_quantization(float input1_scale, float input2_scale, float output_scale);

// SOFTMAX, int8 in and out: the input difference (x - max) is scaled by beta * input_scale
// into a fixed-point number with kSoftmaxScaledDiffIntegerBits integer bits; differences
// below diff_min contribute exp() = 0.
inline constexpr int kSoftmaxScaledDiffIntegerBits = 5;
struct SoftmaxQuantization {
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;
  int32_t diff_min = 0;
};
SoftmaxQuantization softmax_quantization(float beta, float input_scale);

// The largest |x - max| (in input units after the left shift) that still fits the
// fixed-point range: floor((2^integer_bits - 1) * 2^(31 - integer_bits) / 2^left_shift).
int32_t softmax_input_radius(int integer_bits, int left_shift);

// Padding before the first row/column for an input of `in` pixels, a window of `filter`
// pixels, `stride` and `dilation`, giving `out` pixels (TFLite's SAME/VALID rule: half of the
// total padding, rounded down, goes before).
int32_t padding_before(int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t out);

// Output pixels for SAME or VALID padding.
int32_t output_size(Padding padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation);

}  // namespace tinysim::importer
