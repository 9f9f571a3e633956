/* Host-side parameter preparation, as TFLite's Prepare steps compute it (in double). Kept apart
 * from the kernels so firmware that does not call these links no floating-point code. */
#include <math.h>

#include "nn_internal.h"

void ts_quantize_multiplier(double real, int32_t* multiplier, int32_t* shift) {
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double q = frexp(real, &exponent); /* real = q * 2^exponent, q in [0.5, 1) */
  int64_t q_fixed = (int64_t)round(q * (double)(1ll << 31));
  if (q_fixed == (1ll << 31)) { /* q rounded up to 1.0 */
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) { /* every bit would be shifted out: represent as 0 */
    exponent = 0;
    q_fixed = 0;
  }
  *multiplier = (int32_t)q_fixed;
  *shift = exponent;
}

/* Scaled input differences are fixed point with this many integer bits (TFLite's choice). */
enum { kScaledDiffIntegerBits = 5 };

void ts_softmax_prepare(double beta, double input_scale, ts_softmax_params* params) {
  double real = beta * input_scale * (double)(1 << (31 - kScaledDiffIntegerBits));
  const double cap = (double)(1ll << 31) - 1.0;
  if (real > cap) real = cap;
  int32_t left_shift = 0;
  ts_quantize_multiplier(real, &params->input_multiplier, &left_shift);
  params->input_left_shift = left_shift;
  /* The most negative difference whose rescaled value still fits the 5 integer bits. */
  const double radius = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                        (double)(1ll << (31 - kScaledDiffIntegerBits)) /
                        (double)(1ll << left_shift);
  params->diff_min = -(int32_t)floor(radius);
}

void ts_add_prepare(double input1_scale, int32_t input1_zero_point, double input2_scale,
                    int32_t input2_zero_point, double output_scale, int32_t output_zero_point,
                    int32_t act_min, int32_t act_max, ts_add_params* params) {
  params->input1_offset = -input1_zero_point;
  params->input2_offset = -input2_zero_point;
  params->output_offset = output_zero_point;
  params->left_shift = 20;
  const double twice_max_input_scale =
      2.0 * (input1_scale > input2_scale ? input1_scale : input2_scale);
  ts_quantize_multiplier(input1_scale / twice_max_input_scale, &params->input1_multiplier,
                         &params->input1_shift);
  ts_quantize_multiplier(input2_scale / twice_max_input_scale, &params->input2_multiplier,
                         &params->input2_shift);
  ts_quantize_multiplier(twice_max_input_scale / ((double)(1 << params->left_shift) * output_scale),
                         &params->output_multiplier, &params->output_shift);
  params->act_min = act_min;
  params->act_max = act_max;
}
