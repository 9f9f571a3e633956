/* ADD int8 with rescaling, as TFLite's reference integer kernel (no broadcasting). */
#include "nn_internal.h"

/* How one of ADD's three requantisations is computed. TFLite's ADD multipliers are below 1
 * (shift <= 0): the input with the larger scale has multiplier 1/2 (shift 0), the other shift
 * -1 or less, the output a large right shift. Each form is the exact TFLite result for its case
 * (see ts__rq_fast in nn_internal.h); anything else takes ts__mbqm. */
enum {
  kGeneric = 0,
  kShift0 = 1,    /* SRDHM alone */
  kShift1 = 2,    /* one multiply-add, rounding constant 2^30 + 2^31 */
  kShiftMore = 3, /* one multiply-add, ts__rq_fast */
};

static int32_t kind_of(int32_t multiplier, int32_t shift) {
  if (multiplier < 0) return kGeneric;
  return shift == 0 ? kShift0 : shift == -1 ? kShift1 : shift < -1 ? kShiftMore : kGeneric;
}

/* `kind` is a constant at every call, so each loop below is compiled for one combination. */
TS_NN_INLINE int32_t add_rescale(int32_t kind, int32_t a, int32_t multiplier, int32_t shift,
                                 int32_t round_hi) {
  switch (kind) {
    case kShift0: /* no saturation: the multiplier is not INT32_MIN */
      return (int32_t)(((int64_t)a * multiplier + ((int64_t)1 << 30)) >> 31);
    case kShift1: { /* e = 1: 2^30 + 2^31 - [a < 0] * 2^31 is all low word */
      const uint32_t lo = 0xC0000000u ^ ((uint32_t)a & 0x80000000u);
      return (int32_t)(((int64_t)lo + (int64_t)a * multiplier) >> 32);
    }
    case kShiftMore:
      return ts__rq_fast(a, multiplier, round_hi, -shift - 1);
    default:
      return ts__mbqm(a, multiplier, shift);
  }
}

/* Elements per chunk: the first pass stores the sum of the rescaled inputs of a chunk on the
 * stack, the second rescales it to the output. Each pass has few enough constants to keep them
 * in registers (one loop with all of them spills on Cortex-M). */
#define TS_ADD_CHUNK 64

TS_NN_INLINE void add_loop(const ts_add_params* p, int32_t size, const int8_t* in1,
                           const int8_t* in2, int8_t* out, int32_t kind1, int32_t kind2,
                           int32_t kind_out, int32_t left_shift) {
  int32_t sum[TS_ADD_CHUNK];
  for (int32_t i0 = 0; i0 < size; i0 += TS_ADD_CHUNK) {
    const int32_t n = ts__min(TS_ADD_CHUNK, size - i0);
    {
      const int32_t m1 = p->input1_multiplier, s1 = p->input1_shift;
      const int32_t m2 = p->input2_multiplier, s2 = p->input2_shift;
      const int32_t r1 = kind1 == kShiftMore ? (int32_t)(1u << (-s1 - 2)) : 0;
      const int32_t r2 = kind2 == kShiftMore ? (int32_t)(1u << (-s2 - 2)) : 0;
      const int32_t off1 = p->input1_offset, off2 = p->input2_offset;
      const int8_t* a_in = in1 + i0;
      const int8_t* b_in = in2 + i0;
      for (int32_t i = 0; i < n; ++i) {
        /* Inputs are at most 9 bits after the offset; the left shift keeps 20 bits of headroom
         * for the rescale (TFLite's choice). */
        const int32_t a = (int32_t)((uint32_t)(off1 + a_in[i]) << left_shift);
        const int32_t b = (int32_t)((uint32_t)(off2 + b_in[i]) << left_shift);
        sum[i] = add_rescale(kind1, a, m1, s1, r1) + add_rescale(kind2, b, m2, s2, r2);
      }
    }
    {
      const int32_t mo = p->output_multiplier, so = p->output_shift;
      const int32_t ro = kind_out == kShiftMore ? (int32_t)(1u << (-so - 2)) : 0;
      const int32_t off_out = p->output_offset, act_min = p->act_min, act_max = p->act_max;
      int8_t* o = out + i0;
      for (int32_t i = 0; i < n; ++i) {
        const int32_t v = add_rescale(kind_out, sum[i], mo, so, ro) + off_out;
        o[i] = (int8_t)ts__clamp(v, act_min, act_max);
      }
    }
  }
}

void ts_add_s8(const ts_add_params* p, int32_t size, const int8_t* in1, const int8_t* in2,
               int8_t* out) {
  const int32_t k1 = kind_of(p->input1_multiplier, p->input1_shift);
  const int32_t k2 = kind_of(p->input2_multiplier, p->input2_shift);
  const int32_t ko = kind_of(p->output_multiplier, p->output_shift);
  /* The combinations TFLite's preparation produces (left shift 20), specialised; the rest
   * generic. */
  const int32_t ls = p->left_shift;
  if (ls == 20 && ko == kShiftMore && k1 == kShift0 && k2 == kShiftMore) {
    add_loop(p, size, in1, in2, out, kShift0, kShiftMore, kShiftMore, 20);
  } else if (ls == 20 && ko == kShiftMore && k1 == kShiftMore && k2 == kShift0) {
    add_loop(p, size, in1, in2, out, kShiftMore, kShift0, kShiftMore, 20);
  } else if (ls == 20 && ko == kShiftMore && k1 == kShift0 && k2 == kShift1) {
    add_loop(p, size, in1, in2, out, kShift0, kShift1, kShiftMore, 20);
  } else if (ls == 20 && ko == kShiftMore && k1 == kShift1 && k2 == kShift0) {
    add_loop(p, size, in1, in2, out, kShift1, kShift0, kShiftMore, 20);
  } else if (ls == 20 && ko == kShiftMore && k1 == kShift0 && k2 == kShift0) {
    add_loop(p, size, in1, in2, out, kShift0, kShift0, kShiftMore, 20);
  } else {
    add_loop(p, size, in1, in2, out, kGeneric, kGeneric, kGeneric, ls);
  }
}
