/* SOFTMAX int8 -> int8 as TFLite's reference integer kernel: exp of (x - max) in gemmlowp fixed
 * point, sum in 12 integer bits, reciprocal by Newton-Raphson, output scale 1/256, zero point
 * -128. The fixed-point formats are written Qm (m integer bits, 31 - m fraction bits). */
#include "nn_internal.h"

enum {
  kScaledDiffIntegerBits = 5,   /* format of the rescaled input differences */
  kAccumulationIntegerBits = 12 /* format of the sum of exponentials */
};

/* gemmlowp's SaturatingRoundingMultiplyByPOT for an exponent > 0: x * 2^e, saturated. */
static int32_t sat_shift_left(int32_t x, int e) {
  const int32_t threshold = (int32_t)((1u << (31 - e)) - 1u);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << e);
}

/* exp(a) for a in [-1/4, 0), a and result in Q0: Taylor series around -1/8. */
static int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t constant_term = 1895147668;    /* exp(-1/8) in Q0 */
  const int32_t constant_1_over_3 = 715827883; /* 1/3 in Q0 */
  const int32_t x = a + (1 << 28);             /* a + 1/8 */
  const int32_t x2 = ts__srdhm(x, x);
  const int32_t x3 = ts__srdhm(x2, x);
  const int32_t x4 = ts__srdhm(x2, x2);
  const int32_t x4_over_4 = ts__rdbp(x4, 2);
  const int32_t x4_over_24_plus_x3_over_6_plus_x2_over_2 =
      ts__rdbp(ts__srdhm(x4_over_4 + x3, constant_1_over_3) + x2, 1);
  return constant_term + ts__srdhm(constant_term, x + x4_over_24_plus_x3_over_6_plus_x2_over_2);
}

/* exp(a) for a <= 0, a in Q5 (kScaledDiffIntegerBits), result in Q0: split a into a multiple of
 * 1/4 and a remainder in [-1/4, 0); the multiple's bits select factors exp(-2^k). */
static int32_t exp_on_negative_values_q5(int32_t a) {
  enum { kFractionalBits = 31 - kScaledDiffIntegerBits };
  const int32_t one_quarter = 1 << (kFractionalBits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
      sat_shift_left(a_mod_quarter_minus_one_quarter, kScaledDiffIntegerBits));
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
  /* exp(-2^k) in Q0 for k = -2 .. 4 (all apply: 5 integer bits cover up to 2^4). */
  static const int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                          39332535,   720401,     242};
  for (int k = 0; k < 7; ++k) {
    if (remainder & (1 << (kFractionalBits - 2 + k))) result = ts__srdhm(result, kMultipliers[k]);
  }
  if (a == 0) result = INT32_MAX; /* exp(0) = 1, saturated in Q0 */
  return result;
}

/* gemmlowp's RoundingHalfSum: (a + b) / 2 rounded half away from zero. */
static int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* 1 / (1 + x) for x in [0, 1), x in Q0, result in Q0: Newton-Raphson on the half denominator,
 * iterates in Q2. */
static int32_t one_over_one_plus_x_for_x_in_0_1(int32_t x) {
  const int32_t half_denominator = rounding_half_sum(x, INT32_MAX);
  const int32_t constant_48_over_17 = 1515870810;      /* Q2 */
  const int32_t constant_neg_32_over_17 = -1010580540; /* Q2 */
  const int32_t one_q2 = 1 << 29;
  int32_t r = constant_48_over_17 + ts__srdhm(half_denominator, constant_neg_32_over_17);
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_r = ts__srdhm(half_denominator, r); /* Q2 */
    const int32_t one_minus = one_q2 - half_denominator_times_r;             /* Q2 */
    r = r + sat_shift_left(ts__srdhm(r, one_minus), 2); /* Q4 product rescaled to Q2 */
  }
  return sat_shift_left(r, 1); /* r / 2 in Q1, rescaled to Q0 */
}

/* TFLite's GetReciprocal: 1 / x for x in Q(integer_bits), as a Q0 mantissa and a power of two. */
static int32_t reciprocal(int32_t x, int integer_bits, int* num_bits_over_unit) {
  int headroom_plus_one = 0;
  while (headroom_plus_one < 32 && !((uint32_t)x & (0x80000000u >> headroom_plus_one))) {
    ++headroom_plus_one;
  }
  *num_bits_over_unit = integer_bits - headroom_plus_one;
  const int32_t shifted_sum_minus_one = (int32_t)(((uint32_t)x << headroom_plus_one) - (1u << 31));
  return one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

void ts_softmax_s8(const ts_softmax_params* params, int32_t outer, int32_t depth, const int8_t* in,
                   int8_t* out) {
  for (int32_t i = 0; i < outer; ++i, in += depth, out += depth) {
    int32_t max_in_row = INT8_MIN;
    for (int32_t c = 0; c < depth; ++c) max_in_row = ts__max(max_in_row, in[c]);

    int32_t sum_of_exps = 0; /* Q12 */
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= params->diff_min) {
        const int32_t scaled =
            ts__srdhm(diff * (1 << params->input_left_shift), params->input_multiplier);
        sum_of_exps += ts__rdbp(exp_on_negative_values_q5(scaled), kAccumulationIntegerBits);
      }
    }

    int num_bits_over_unit = 0;
    const int32_t shifted_scale =
        reciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);

    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      int32_t v = INT8_MIN;
      if (diff >= params->diff_min) {
        const int32_t scaled =
            ts__srdhm(diff * (1 << params->input_left_shift), params->input_multiplier);
        const int32_t exp_q0 = exp_on_negative_values_q5(scaled);
        /* (scale * exp) in Q0 to 8 output bits, then shift by the output zero point. */
        /* Past 31 bits (sums of exps >= 512, depth > 511) every product rounds to 0. */
        const int32_t shift = num_bits_over_unit + 31 - 8;
        const int32_t unsat = shift > 31 ? 0 : ts__rdbp(ts__srdhm(shifted_scale, exp_q0), shift);
        v = ts__min(ts__max(unsat + INT8_MIN, INT8_MIN), INT8_MAX);
      }
      out[c] = (int8_t)v;
    }
  }
}
