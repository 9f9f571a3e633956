/* DEPTHWISE_CONV_2D. The portable path loops over the filter taps that fall inside the input.
 * The DSP path, for depth_multiplier 1, works on 4 channels at a time: input, filter and
 * channel are all contiguous in NHWC, so one word load brings 4 channels, SXTAB16 unpacks them
 * with the input offset added, and SMLABB/SMLATT do per-channel MACs against weights unpacked
 * once per block of channels; taps outside the input read a row of zero points from the
 * scratch, so every pixel runs the same code. */
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
TS_NN_INLINE void valid_taps(int32_t origin, int32_t dilation, int32_t taps, int32_t size,
                             int32_t* k0, int32_t* k1) {
  if (dilation == 1) { /* no division (a library call on Cortex-M0) */
    *k0 = ts__min(taps, ts__max(0, -origin));
    *k1 = ts__max(*k0, ts__min(taps, size - origin));
    return;
  }
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
  const int32_t input_offset = p->input_offset;
  const int32_t dh = p->dilation_h, dw = p->dilation_w;
  /* One output channel at a time, over every pixel: its requantisation is prepared once. (The
   * portable path runs on cores without caches, where the strided accesses cost nothing.) */
  /* 3x3 windows without dilation: pixels whose window lies inside the input take an unrolled
   * sum with the input offset folded into the bias (offset * sum of the 9 weights). */
  const int fast3x3 = filter->h == 3 && filter->w == 3 && dh == 1 && dw == 1;
  for (int32_t oc = 0; oc < out_c; ++oc) {
    ts__rq q;
    ts__rq_prepare(&q, quant->multiplier[oc], quant->shift[oc]);
    const int32_t ic = oc / dm;
    const int32_t acc0 = bias ? bias[oc] : 0;
    int32_t w9[9] = {0};
    int32_t acc9 = acc0; /* bias + input_offset * the weights' sum */
    if (fast3x3) {
      for (int32_t t = 0; t < 9; ++t) {
        w9[t] = filter_data[(size_t)t * out_c + oc];
        acc9 += input_offset * w9[t];
      }
    }
    for (int32_t b = 0; b < out->n; ++b) {
      const int8_t* in_b = in_data + (size_t)b * in->h * in->w * in_c + ic;
      int8_t* out_b = out_data + (size_t)b * out->h * out->w * out_c + oc;
      for (int32_t oy = 0; oy < out->h; ++oy) {
        const int32_t y_origin = oy * p->stride_h - p->pad_h;
        int32_t ky0, ky1;
        valid_taps(y_origin, dh, filter->h, in->h, &ky0, &ky1);
        for (int32_t ox = 0; ox < out->w; ++ox) {
          const int32_t x_origin = ox * p->stride_w - p->pad_w;
          int32_t kx0, kx1;
          valid_taps(x_origin, dw, filter->w, in->w, &kx0, &kx1);
          if (fast3x3 && ky0 == 0 && ky1 == 3 && kx0 == 0 && kx1 == 3) {
            const size_t row = (size_t)in->w * in_c;
            const int8_t* x0 = in_b + ((size_t)y_origin * in->w + x_origin) * in_c;
            const int8_t* x1 = x0 + row;
            const int8_t* x2 = x1 + row;
            const size_t c2 = 2 * (size_t)in_c;
            int32_t acc = acc9;
            acc += x0[0] * w9[0] + x0[in_c] * w9[1] + x0[c2] * w9[2];
            acc += x1[0] * w9[3] + x1[in_c] * w9[4] + x1[c2] * w9[5];
            acc += x2[0] * w9[6] + x2[in_c] * w9[7] + x2[c2] * w9[8];
            out_b[((size_t)oy * out->w + ox) * out_c] =
                ts__rq_out(&q, acc, p->output_offset, p->act_min, p->act_max);
            continue;
          }
          int32_t acc = acc0;
          for (int32_t ky = ky0; ky < ky1; ++ky) {
            const int8_t* x =
                in_b + ((size_t)(y_origin + ky * dh) * in->w + (x_origin + kx0 * dw)) * in_c;
            const int8_t* w = filter_data + (size_t)(ky * filter->w + kx0) * out_c + oc;
            for (int32_t kx = kx0; kx < kx1; ++kx, x += dw * in_c, w += out_c) {
              acc += (*x + input_offset) * *w;
            }
          }
          out_b[((size_t)oy * out->w + ox) * out_c] =
              ts__rq_out(&q, acc, p->output_offset, p->act_min, p->act_max);
        }
      }
    }
  }
}

#if TS_NN_DSP

/* Channels are processed in blocks; per block the weights are unpacked to int16 once (stack
 * buffer of TS_DW_WEIGHT_WORDS words) and every channel's requantisation is prepared once, then
 * every output pixel of the block runs. Windows of up to TS_DW_MAX_TAPS taps take this path. */
#define TS_DW_MAX_TAPS 25
#define TS_DW_WEIGHT_WORDS 160 /* 640 bytes: 32 channels of 3x3, 12 of 5x5 */
/* Channels per block at most (a multiple of 4): fewer when a prepared requantisation is large
 * (the integer form), to bound the stack. */
#define TS_DW_BLOCK (sizeof(ts__rq) > 8 ? 16 : 32)

/* One tap for 4 channels: x is the input word (channels c .. c + 3), we/wo the unpacked weights
 * [w0 w2] [w1 w3]. SXTAB16 adds the input offset while unpacking; SMLABB/SMLATT multiply the
 * halfword lanes channel by channel. */
#define TS_DW_TAP4(x, we, wo)                         \
  do {                                                \
    const int32_t xe_ = ts__sxtab16(offset2, x);      \
    const int32_t xo_ = ts__sxtab16_ror8(offset2, x); \
    a0 = ts__smlabb(xe_, we, a0);                     \
    a2 = ts__smlatt(xe_, we, a2);                     \
    a1 = ts__smlabb(xo_, wo, a1);                     \
    a3 = ts__smlatt(xo_, wo, a3);                     \
  } while (0)

/* Tap t of the current group: its input word through the pixel's tap pointer, its weights from
 * the unpacked block. The four loads issue back to back (the input word's address comes from
 * the load before the previous one, which Cortex-M4 still pipelines; the weight words are not
 * adjacent in the code, so they are not fused into a slower LDRD). */
#define TS_DW_STEP_C(t)                     \
  do {                                      \
    const int8_t* tp_ = taps[t];            \
    const int32_t we_ = wp[2 * (t)];        \
    const int32_t x_ = ts__read32(tp_ + c); \
    const int32_t wo_ = wp[2 * (t) + 1];    \
    TS_DW_TAP4(x_, we_, wo_);               \
  } while (0)
#if defined(TS_NN_EMULATE_DSP)
#define TS_DW_STEP(t) TS_DW_STEP_C(t)
#else /* for a constant t: the same loads in this order, which the compiler would change */
#define TS_DW_STEP(t)                                                                        \
  do {                                                                                       \
    const int8_t* tp_;                                                                       \
    int32_t we_, x_, wo_;                                                                    \
    __asm__(                                                                                 \
        "ldr %[tp], [%[taps], %[to]]\n\t"                                                    \
        "ldr %[we], [%[wp], %[wo0]]\n\t"                                                     \
        "ldr %[x], [%[tp], %[c]]\n\t"                                                        \
        "ldr %[wo], [%[wp], %[wo1]]"                                                         \
        : [tp] "=&r"(tp_), [we] "=&r"(we_), [x] "=&r"(x_), [wo] "=r"(wo_)                    \
        : [taps] "r"(taps), [wp] "r"(wp), [c] "r"(c), [to] "i"(4 * (t)), [wo0] "i"(8 * (t)), \
          [wo1] "i"(8 * (t) + 4), "m"(*(const int32_t(*)[2 * TS_DW_MAX_TAPS]) wp),           \
          "m"(*(const int8_t* const(*)[TS_DW_MAX_TAPS])taps));                               \
    TS_DW_TAP4(x_, we_, wo_);                                                                \
  } while (0)
#endif

/* What dw_pixel needs besides the output: the pixel's taps and the block's constants. taps[t]:
 * channel 0 of the input under filter tap t, or a row of input zero points where the tap falls
 * outside the input (it contributes (zp + input_offset) * w = 0, so every pixel runs the same
 * code). w: the block's unpacked weights, 2 words per tap per group; q, bias: the block's
 * channels; [c, c_end): its whole groups of 4 channels. */
typedef struct {
  const int8_t* taps[TS_DW_MAX_TAPS];
  const int32_t* w;
  const ts__rq* q;
  const int32_t* bias;
  int32_t n_taps, c, c_end;
  int32_t offset2, off2, lo2, hi2; /* input offset, output offset, clamp: in both halfwords */
} dw_job;

/* The whole groups of 4 channels of one output pixel. Not inlined: register allocation sees this
 * loop nest alone. */
__attribute__((noinline)) static void dw_pixel(const dw_job* job, int8_t* out) {
  const int8_t* const* const taps = job->taps;
  const int32_t* w = job->w;
  const ts__rq* q = job->q;
  const int32_t* bias = job->bias;
  const int32_t n_taps = job->n_taps, c_end = job->c_end;
  const int32_t offset2 = job->offset2;
  int32_t c = job->c;
  /* One group: bias, the taps (TAPS), requantisation, one word store. */
#define TS_DW_GROUP(TAPS)                                                             \
  do {                                                                                \
    int32_t a0 = bias[0], a1 = bias[1], a2 = bias[2], a3 = bias[3];                   \
    const int32_t* wp = w;                                                            \
    TAPS;                                                                             \
    w += 2 * n_taps;                                                                  \
    ts__rq_value4v(q, &a0, &a1, &a2, &a3);                                            \
    ts__write32(out + c, ts__out4_s8(a0, a1, a2, a3, job->off2, job->lo2, job->hi2)); \
  } while (0)
  if (n_taps == 9) { /* 3x3, unrolled */
    for (; c < c_end; c += 4, q += 4, bias += 4) {
      TS_DW_GROUP(TS_DW_STEP(0); TS_DW_STEP(1); TS_DW_STEP(2); TS_DW_STEP(3); TS_DW_STEP(4);
                  TS_DW_STEP(5); TS_DW_STEP(6); TS_DW_STEP(7); TS_DW_STEP(8));
    }
  } else {
    for (; c < c_end; c += 4, q += 4, bias += 4) {
      TS_DW_GROUP(for (int32_t t = 0; t < n_taps; ++t) TS_DW_STEP_C(t));
    }
  }
#undef TS_DW_GROUP
}

#undef TS_DW_STEP
#undef TS_DW_STEP_C
#undef TS_DW_TAP4

/* REQUIRES: depth_multiplier 1, filter->h * filter->w <= TS_DW_MAX_TAPS, scratch of
 * round_up4(depth) bytes. */
static void depthwise_dsp(const ts_conv_params* p, const ts_channel_quant* quant,
                          const ts_shape* in, const int8_t* in_data, const ts_shape* filter,
                          const int8_t* filter_data, const int32_t* bias, const ts_shape* out,
                          int8_t* out_data, int8_t* zero_points) {
  const int32_t depth = in->c; /* == out->c */
  const int32_t fh = filter->h, fw = filter->w, n_taps = fh * fw;
  const int32_t dh = p->dilation_h, dw = p->dilation_w;
  dw_job job;
  int32_t w[TS_DW_WEIGHT_WORDS];
  ts__rq q[TS_DW_BLOCK];
  int32_t block_bias[TS_DW_BLOCK];
  /* Channels per block: what the weight buffer holds, a multiple of 4, at least 4. */
  int32_t block = (TS_DW_WEIGHT_WORDS / (2 * n_taps)) * 4;
  block = ts__max(4, ts__min(block, TS_DW_BLOCK));
  memset(zero_points, -p->input_offset, (size_t)depth); /* the zero point, as int8 */
  int32_t tap_offset[TS_DW_MAX_TAPS]; /* of each tap from the window's first, inside the input */
  for (int32_t ky = 0, t = 0; ky < fh; ++ky) {
    for (int32_t kx = 0; kx < fw; ++kx, ++t) tap_offset[t] = (ky * dh * in->w + kx * dw) * depth;
  }
  job.w = w;
  job.q = q;
  job.bias = block_bias;
  job.n_taps = n_taps;
  job.offset2 = ts__dup16(p->input_offset);
  job.off2 = ts__dup16(p->output_offset);
  job.lo2 = ts__dup16(p->act_min);
  job.hi2 = ts__dup16(p->act_max);
  for (int32_t c0 = 0; c0 < depth; c0 += block) {
    const int32_t n = ts__min(block, depth - c0);
    const int32_t grouped = n & ~3;
    for (int32_t i = 0; i < n; ++i) {
      ts__rq_prepare(&q[i], quant->multiplier[c0 + i], quant->shift[c0 + i]);
      block_bias[i] = bias ? bias[c0 + i] : 0;
    }
    for (int32_t g = 0; g < grouped; g += 4) { /* tap t of group g: w[(g / 4 * n_taps + t) * 2] */
      int32_t* wg = w + (g / 4) * 2 * n_taps;
      for (int32_t t = 0; t < n_taps; ++t) {
        const int32_t v = ts__read32(filter_data + (size_t)t * depth + c0 + g);
        wg[2 * t] = ts__sxtb16(v);
        wg[2 * t + 1] = ts__sxtb16_ror8(v);
      }
    }
    job.c = c0;
    job.c_end = c0 + grouped;
    int8_t* out_px = out_data;
    for (int32_t b = 0; b < out->n; ++b) {
      const int8_t* in_b = in_data + (size_t)b * in->h * in->w * depth;
      for (int32_t oy = 0; oy < out->h; ++oy) {
        const int32_t y0 = oy * p->stride_h - p->pad_h;
        int32_t ky0, ky1; /* the filter rows inside the input */
        valid_taps(y0, dh, fh, in->h, &ky0, &ky1);
        for (int32_t ox = 0; ox < out->w; ++ox, out_px += depth) {
          const int32_t x0 = ox * p->stride_w - p->pad_w;
          const int32_t base = (y0 * in->w + x0) * depth; /* of tap 0, maybe outside */
          if (ky0 == 0 && ky1 == fh && x0 >= 0 && x0 + (fw - 1) * dw < in->w) {
            const int8_t* at = in_b + base;
            if (n_taps == 9) {
              job.taps[0] = at + tap_offset[0];
              job.taps[1] = at + tap_offset[1];
              job.taps[2] = at + tap_offset[2];
              job.taps[3] = at + tap_offset[3];
              job.taps[4] = at + tap_offset[4];
              job.taps[5] = at + tap_offset[5];
              job.taps[6] = at + tap_offset[6];
              job.taps[7] = at + tap_offset[7];
              job.taps[8] = at + tap_offset[8];
            } else {
              for (int32_t t = 0; t < n_taps; ++t) job.taps[t] = at + tap_offset[t];
            }
          } else { /* a border pixel: taps outside the input read zero points */
            int32_t kx0, kx1;
            valid_taps(x0, dw, fw, in->w, &kx0, &kx1);
            for (int32_t t = 0; t < n_taps; ++t) job.taps[t] = zero_points;
            for (int32_t ky = ky0; ky < ky1; ++ky) {
              for (int32_t kx = kx0; kx < kx1; ++kx) {
                const int32_t t = ky * fw + kx;
                job.taps[t] = in_b + (base + tap_offset[t]);
              }
            }
          }
          dw_pixel(&job, out_px);
          for (int32_t c = c0 + grouped; c < c0 + n; ++c) { /* channel tail */
            int32_t acc = block_bias[c - c0];
            for (int32_t i = 0; i < n_taps; ++i) {
              acc += (job.taps[i][c] + p->input_offset) * filter_data[(size_t)i * depth + c];
            }
            out_px[c] = ts__rq_out(&q[c - c0], acc, p->output_offset, p->act_min, p->act_max);
          }
        }
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
