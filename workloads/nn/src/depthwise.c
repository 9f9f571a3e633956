/* DEPTHWISE_CONV_2D. The portable path loops over the filter taps that fall inside the input.
 * The DSP path, for depth_multiplier 1, works on 4 channels at a time: input, filter and
 * channel are all contiguous in NHWC, so one word load brings 4 channels, SXTAB16 unpacks them
 * with the input offset added, and SMLABB/SMLATT do per-channel MACs; taps outside the input
 * read a row of zero points from the scratch, so every pixel runs the same code. */
#include <string.h>

#include "nn_internal.h"
#if TS_NN_DSP
#include "nn_dsp.h"
#endif

size_t ts_depthwise_conv2d_s8_scratch_bytes(const ts_dw_conv_params* params, const ts_shape* in,
                                            const ts_shape* filter, const ts_shape* out) {
  (void)params;
  (void)filter;
  (void)out;
  return (size_t)((in->c + 3) & ~3); /* a row of input zero points (DSP path) */
}

/* The taps [k0, k1) of a window starting at `origin` whose positions origin + k * dilation lie
 * in [0, size). */
static void valid_taps(int32_t origin, int32_t dilation, int32_t taps, int32_t size, int32_t* k0,
                       int32_t* k1) {
  *k0 = origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
  *k1 = origin >= size ? 0 : ts__min(taps, (size - 1 - origin) / dilation + 1);
  if (*k1 < *k0) *k1 = *k0;
}

void ts__depthwise_conv2d_s8_portable(const ts_dw_conv_params* params,
                                      const ts_channel_quant* quant, const ts_shape* in,
                                      const int8_t* in_data, const ts_shape* filter,
                                      const int8_t* filter_data, const int32_t* bias,
                                      const ts_shape* out, int8_t* out_data) {
  const ts_conv_params* p = &params->conv;
  const int32_t dm = params->depth_multiplier;
  const int32_t in_c = in->c, out_c = out->c;
  for (int32_t b = 0; b < out->n; ++b) {
    const int8_t* in_b = in_data + (size_t)b * in->h * in->w * in_c;
    for (int32_t oy = 0; oy < out->h; ++oy) {
      const int32_t y_origin = oy * p->stride_h - p->pad_h;
      int32_t ky0, ky1;
      valid_taps(y_origin, p->dilation_h, filter->h, in->h, &ky0, &ky1);
      for (int32_t ox = 0; ox < out->w; ++ox) {
        const int32_t x_origin = ox * p->stride_w - p->pad_w;
        int32_t kx0, kx1;
        valid_taps(x_origin, p->dilation_w, filter->w, in->w, &kx0, &kx1);
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t ic = oc / dm;
          int32_t acc = bias ? bias[oc] : 0;
          for (int32_t ky = ky0; ky < ky1; ++ky) {
            const int32_t y = y_origin + ky * p->dilation_h;
            const int8_t* in_row = in_b + (size_t)y * in->w * in_c + ic;
            const int8_t* f_row = filter_data + (size_t)ky * filter->w * out_c + oc;
            for (int32_t kx = kx0; kx < kx1; ++kx) {
              const int32_t x = x_origin + kx * p->dilation_w;
              acc += (in_row[(size_t)x * in_c] + p->input_offset) * f_row[(size_t)kx * out_c];
            }
          }
          *out_data++ = ts__requant(acc, quant->multiplier[oc], quant->shift[oc], p->output_offset,
                                    p->act_min, p->act_max);
        }
      }
    }
  }
}

#if TS_NN_DSP

/* ts__requant for a channel known to take the fast form (no per-output test). */
TS_NN_INLINE int8_t dw_output_fast(int32_t acc, int32_t m, int32_t s, int32_t offset,
                                   int32_t act_min, int32_t act_max) {
  const int32_t v = ts__rq_fast(acc, m, (int32_t)(1u << (-s - 2)), -s - 1);
  return (int8_t)ts__clamp(v + offset, act_min, act_max);
}

/* One tap for 4 channels: in/filter point at the tap's channel c. SXTAB16 adds the input
 * offset while unpacking; SMLABB/SMLATT multiply the halfword lanes channel by channel. */
#define TS_DW_TAP4(in_ptr, f_ptr)           \
  do {                                      \
    const int32_t x_ = ts__read32(in_ptr);  \
    const int32_t w_ = ts__read32(f_ptr);   \
    int32_t xd_ = ts__sxtab16(offset2, x_); \
    int32_t wd_ = ts__sxtb16(w_);           \
    a0 = ts__smlabb(xd_, wd_, a0);          \
    a2 = ts__smlatt(xd_, wd_, a2);          \
    xd_ = ts__sxtab16_ror8(offset2, x_);    \
    wd_ = ts__sxtb16_ror8(w_);              \
    a1 = ts__smlabb(xd_, wd_, a1);          \
    a3 = ts__smlatt(xd_, wd_, a3);          \
  } while (0)

/* Windows of up to this many taps take the DSP path; larger ones the portable one. */
#define TS_DW_MAX_TAPS 25

/* All channels of one output pixel. taps[t]: channel 0 of the input under filter tap t, or a
 * row of input zero points where the tap falls outside the input (so it contributes
 * (zp + input_offset) * w = 0 and every pixel runs the same branch-free code). Not inlined:
 * register allocation sees this loop nest alone. */
__attribute__((noinline)) static void dw_pixel(const ts_conv_params* p,
                                               const ts_channel_quant* quant, const int32_t* bias,
                                               int32_t depth, const int8_t* const* taps,
                                               int32_t n_taps, const int8_t* filter, int all_fast,
                                               int8_t* out) {
  /* Locals, not struct fields: stores to `out` (int8_t) could alias them and force reloads. */
  const int32_t offset2 =
      (int32_t)(((uint32_t)p->input_offset << 16) | ((uint32_t)p->input_offset & 0xFFFFu));
  const int32_t* const mult = quant->multiplier;
  const int32_t* const shift = quant->shift;
  const int32_t input_offset = p->input_offset, output_offset = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max;
  const int32_t groups_end = depth & ~3;
  int32_t c = 0;
  for (; c < groups_end; c += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0; /* channels c .. c + 3 */
    if (bias) {
      a0 = bias[c];
      a1 = bias[c + 1];
      a2 = bias[c + 2];
      a3 = bias[c + 3];
    }
    const int8_t* fp = filter + c; /* filter taps are depth bytes apart */
    const int8_t* const* tp = taps;
    if (n_taps == 9) { /* 3x3, unrolled; two walking pointers, nothing else kept live */
#define TS_DW_STEP()  \
  do {                \
    fp += depth;      \
    ++tp;             \
    TS_NN_OPAQUE(fp); \
    TS_NN_OPAQUE(tp); \
  } while (0)
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
      TS_DW_STEP();
      TS_DW_TAP4(*tp + c, fp);
#undef TS_DW_STEP
    } else {
      for (int32_t t = 0; t < n_taps; ++t, fp += depth) TS_DW_TAP4(*tp++ + c, fp);
    }
    if (all_fast) {
      out[c] = dw_output_fast(a0, mult[c], shift[c], output_offset, act_min, act_max);
      out[c + 1] = dw_output_fast(a1, mult[c + 1], shift[c + 1], output_offset, act_min, act_max);
      out[c + 2] = dw_output_fast(a2, mult[c + 2], shift[c + 2], output_offset, act_min, act_max);
      out[c + 3] = dw_output_fast(a3, mult[c + 3], shift[c + 3], output_offset, act_min, act_max);
    } else {
      out[c] = ts__requant(a0, mult[c], shift[c], output_offset, act_min, act_max);
      out[c + 1] = ts__requant(a1, mult[c + 1], shift[c + 1], output_offset, act_min, act_max);
      out[c + 2] = ts__requant(a2, mult[c + 2], shift[c + 2], output_offset, act_min, act_max);
      out[c + 3] = ts__requant(a3, mult[c + 3], shift[c + 3], output_offset, act_min, act_max);
    }
  }
  for (; c < depth; ++c) { /* channel tail */
    int32_t acc = bias ? bias[c] : 0;
    for (int32_t t = 0; t < n_taps; ++t) {
      acc += (taps[t][c] + input_offset) * filter[(size_t)t * depth + c];
    }
    out[c] = ts__requant(acc, mult[c], shift[c], output_offset, act_min, act_max);
  }
}

#undef TS_DW_TAP4

/* REQUIRES: depth_multiplier 1, filter->h * filter->w <= TS_DW_MAX_TAPS, scratch of
 * round_up4(depth) bytes. */
static void depthwise_dsp(const ts_conv_params* p, const ts_channel_quant* quant,
                          const ts_shape* in, const int8_t* in_data, const ts_shape* filter,
                          const int8_t* filter_data, const int32_t* bias, const ts_shape* out,
                          int8_t* out_data, int8_t* zero_points) {
  const int32_t depth = in->c; /* == out->c */
  const int32_t n_taps = filter->h * filter->w;
  const int8_t* taps[TS_DW_MAX_TAPS];
  memset(zero_points, -p->input_offset, (size_t)depth); /* the zero point, as int8 */
  int all_fast = 1; /* every channel takes ts__rq_fast: no per-output test */
  for (int32_t c = 0; c < depth; ++c) {
    all_fast &= TS_NN_RQ_FAST_OK(quant->multiplier[c], quant->shift[c]);
  }
  for (int32_t b = 0; b < out->n; ++b) {
    const int8_t* in_b = in_data + (size_t)b * in->h * in->w * depth;
    for (int32_t oy = 0; oy < out->h; ++oy) {
      for (int32_t ox = 0; ox < out->w; ++ox, out_data += depth) {
        int32_t t = 0;
        for (int32_t ky = 0; ky < filter->h; ++ky) {
          const int32_t y = oy * p->stride_h - p->pad_h + ky * p->dilation_h;
          for (int32_t kx = 0; kx < filter->w; ++kx, ++t) {
            const int32_t x = ox * p->stride_w - p->pad_w + kx * p->dilation_w;
            taps[t] = (y >= 0 && y < in->h && x >= 0 && x < in->w)
                          ? in_b + ((size_t)y * in->w + (size_t)x) * depth
                          : zero_points;
          }
        }
        dw_pixel(p, quant, bias, depth, taps, n_taps, filter_data, all_fast, out_data);
      }
    }
  }
}

#endif

void ts_depthwise_conv2d_s8(const ts_dw_conv_params* params, const ts_channel_quant* quant,
                            const ts_shape* in, const int8_t* in_data, const ts_shape* filter,
                            const int8_t* filter_data, const int32_t* bias, const ts_shape* out,
                            int8_t* out_data, void* scratch) {
#if TS_NN_DSP
  if (params->depth_multiplier == 1 && filter->h * filter->w <= TS_DW_MAX_TAPS) {
    depthwise_dsp(&params->conv, quant, in, in_data, filter, filter_data, bias, out, out_data,
                  (int8_t*)scratch);
    return;
  }
#else
  (void)scratch;
#endif
  ts__depthwise_conv2d_s8_portable(params, quant, in, in_data, filter, filter_data, bias, out,
                                   out_data);
}
