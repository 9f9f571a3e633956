/* CONV_2D: im2col of two output pixels at a time into int16 columns (input offset applied,
 * padding as 0), then a matrix product of the filter rows with both columns, so each weight is
 * loaded once per two pixels. The DSP build stores each group of 4 column values in the order
 * SXTB16 unpacks a weight word ([k, k+2], [k+1, k+3]) and multiplies with SMLAD; the portable
 * build stores them in order and multiplies one at a time. */
#include "nn_internal.h"
#if TS_NN_DSP
#include "nn_dsp.h"
#endif

static int32_t round_up4(int32_t v) {
  return (v + 3) & ~3;
}

size_t ts_conv2d_s8_scratch_bytes(const ts_conv_params* params, const ts_shape* in,
                                  const ts_shape* filter, const ts_shape* out) {
  (void)params;
  (void)in;
  (void)out;
  const int32_t k = filter->h * filter->w * filter->c;
  return 2u * (size_t)round_up4(k) * sizeof(int16_t);
}

/* ---- Columns ------------------------------------------------------------------------------ */

/* The im2col buffer holds the columns of two output pixels ("lanes" 0 and 1), k int16 values
 * each. Portable layout: lane j at data + j * round_up4(k), in order. DSP layout: the first
 * `grouped` (k rounded down to 4) values of both lanes interleave by groups of 4 (lane 0, lane
 * 1, lane 0, ...), each group in SXTB16 order [x0 x2 x1 x3], so the product loop reads both
 * pixels from one pointer; the k - grouped tail values follow, lane j at 2 * grouped + 4 * j. */
typedef struct {
  int16_t* data;
  int32_t lane, k, grouped;
} column;

/* Where logical element i of a column is stored. */
static inline int32_t col_pos(const column* c, int32_t i) {
#if TS_NN_DSP
  if (i < c->grouped) {
    const int32_t j = i & 3; /* [0 1 2 3] -> [0 2 1 3] */
    return 2 * (i - j) + 4 * c->lane + j + (j == 1) - (j == 2);
  }
  return 2 * c->grouped + 4 * c->lane + (i - c->grouped);
#else
  return c->lane * round_up4(c->k) + i;
#endif
}

/* Stores src[0..len) + offset at logical elements i..i+len. */
static inline void col_put(const column* c, int32_t i, const int8_t* src, int32_t len,
                           int32_t offset) {
#if TS_NN_DSP
  while (len > 0 && (i & 3) != 0) {
    c->data[col_pos(c, i)] = (int16_t)(*src++ + offset);
    ++i;
    --len;
  }
  /* Whole groups: two SXTAB16 add the offset and unpack into [b0 b2] [b1 b3]. */
  int32_t groups = ts__min(len, c->grouped - i) >> 2;
  if (groups > 0) {
    const int32_t offset2 = (int32_t)(((uint32_t)offset << 16) | ((uint32_t)offset & 0xFFFFu));
    int16_t* dst = c->data + 2 * i + 4 * c->lane;
    i += 4 * groups;
    len -= 4 * groups;
    if (groups & 1) {
      const int32_t x = ts__read32(src);
      ts__write32(dst, ts__sxtab16(offset2, x));
      ts__write32(dst + 2, ts__sxtab16_ror8(offset2, x));
      src += 4;
      dst += 8;
    }
    for (groups >>= 1; groups > 0; --groups) {
      const int32_t x = ts__read32(src), y = ts__read32(src + 4);
      ts__write32(dst, ts__sxtab16(offset2, x));
      ts__write32(dst + 2, ts__sxtab16_ror8(offset2, x));
      ts__write32(dst + 8, ts__sxtab16(offset2, y));
      ts__write32(dst + 10, ts__sxtab16_ror8(offset2, y));
      src += 8;
      dst += 16;
    }
  }
#endif
  for (; len > 0; --len, ++i) c->data[col_pos(c, i)] = (int16_t)(*src++ + offset);
}

/* Stores zeros (the contribution of padding) at logical elements i..i+len. */
static inline void col_zero(const column* c, int32_t i, int32_t len) {
  for (; len > 0; --len, ++i) c->data[col_pos(c, i)] = 0;
}

/* The column of output pixel (oy, ox): the filter window over the input, in filter order
 * [kh, kw, in_c]. */
static void im2col(const ts_conv_params* p, const ts_shape* in, const int8_t* in_b,
                   const ts_shape* f, int32_t oy, int32_t ox, const column* c) {
  const int32_t depth = in->c;
  const int32_t row_len = f->w * depth;
  const int32_t y_origin = oy * p->stride_h - p->pad_h;
  const int32_t x_origin = ox * p->stride_w - p->pad_w;
  int32_t i = 0;
  for (int32_t ky = 0; ky < f->h; ++ky, i += row_len) {
    const int32_t y = y_origin + ky * p->dilation_h;
    if (y < 0 || y >= in->h) {
      col_zero(c, i, row_len);
      continue;
    }
    const int8_t* in_row = in_b + (size_t)y * in->w * depth;
    if (p->dilation_w == 1) { /* the valid taps of the row are contiguous in the input */
      const int32_t kx0 = ts__min(f->w, ts__max(0, -x_origin));
      const int32_t kx1 = ts__max(kx0, ts__min(f->w, in->w - x_origin));
      col_zero(c, i, kx0 * depth);
      if (kx1 > kx0) {
        col_put(c, i + kx0 * depth, in_row + (size_t)(x_origin + kx0) * depth, (kx1 - kx0) * depth,
                p->input_offset);
      }
      col_zero(c, i + kx1 * depth, (f->w - kx1) * depth);
    } else {
      for (int32_t kx = 0; kx < f->w; ++kx) {
        const int32_t x = x_origin + kx * p->dilation_w;
        if (x < 0 || x >= in->w) {
          col_zero(c, i + kx * depth, depth);
        } else {
          col_put(c, i + kx * depth, in_row + (size_t)x * depth, depth, p->input_offset);
        }
      }
    }
  }
}

/* ---- Matrix products ---------------------------------------------------------------------- */

/* Everything the products need besides the columns. */
typedef struct {
  const int8_t* filter; /* [out_c][k] */
  const int32_t* bias;
  const ts_channel_quant* quant;
  int32_t out_c, k, output_offset, act_min, act_max;
} product;

/* Requantises channel oc of both pixels (out1 may be NULL). */
TS_NN_INLINE void requant(const product* m, int32_t oc, int32_t acc0, int32_t acc1, int8_t* out0,
                          int8_t* out1) {
  const int32_t mult = m->quant->multiplier[oc], shift = m->quant->shift[oc];
  out0[oc] = ts__requant(acc0, mult, shift, m->output_offset, m->act_min, m->act_max);
  if (out1) out1[oc] = ts__requant(acc1, mult, shift, m->output_offset, m->act_min, m->act_max);
}

#if TS_NN_DSP

/* One group of 4 weights of channels oc (w) and oc + 1 (w + k) against both lanes (p): 4 loads,
 * 4 SXTB16, 8 SMLAD. The order keeps 5 temporaries live, so nothing spills on Cortex-M4. */
#define TS_CONV_GROUP_2X2(w, k, p)             \
  do {                                         \
    const int32_t wa_ = ts__read32(w);         \
    const int32_t wb_ = ts__read32((w) + (k)); \
    int32_t x0_ = ts__read32(p);               \
    int32_t x1_ = ts__read32((p) + 4);         \
    int32_t d_ = ts__sxtb16(wa_);              \
    a00 = ts__smlad(d_, x0_, a00);             \
    a01 = ts__smlad(d_, x1_, a01);             \
    d_ = ts__sxtb16(wb_);                      \
    a10 = ts__smlad(d_, x0_, a10);             \
    a11 = ts__smlad(d_, x1_, a11);             \
    x0_ = ts__read32((p) + 2);                 \
    x1_ = ts__read32((p) + 6);                 \
    d_ = ts__sxtb16_ror8(wa_);                 \
    a00 = ts__smlad(d_, x0_, a00);             \
    a01 = ts__smlad(d_, x1_, a01);             \
    d_ = ts__sxtb16_ror8(wb_);                 \
    a10 = ts__smlad(d_, x0_, a10);             \
    a11 = ts__smlad(d_, x1_, a11);             \
  } while (0)

/* out0/out1 = filter x the two lanes. Tiles of 2 channels x 2 pixels: each weight word is
 * loaded and unpacked once for both pixels, each column word once for both channels. Not
 * inlined, so that register allocation sees this loop nest alone. */
__attribute__((noinline)) static void product2(const product* m, const int16_t* cols, int8_t* out0,
                                               int8_t* out1) {
  const int32_t k = m->k;
  const int32_t grouped = k & ~3;
  const int16_t* const cols_end = cols + 2 * grouped;
  const int16_t* const tail = cols_end; /* lane 0 at tail[0..], lane 1 at tail[4..] */
  const int32_t* bias = m->bias;
  const int32_t* mult = m->quant->multiplier;
  const int32_t* shift = m->quant->shift;
  const int8_t* w = m->filter;
  const int32_t pairs_end = m->out_c & ~1;
  int32_t oc = 0;
  for (; oc < pairs_end; oc += 2, w += 2 * k, mult += 2, shift += 2) {
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0; /* a<channel><lane> */
    if (bias) {
      a00 = a01 = bias[0];
      a10 = a11 = bias[1];
      bias += 2;
    }
    const int8_t* wp = w;
    const int16_t* p = cols;
    if (grouped & 4) { /* odd number of groups */
      TS_CONV_GROUP_2X2(wp, k, p);
      wp += 4;
      p += 8;
    }
    while (p != cols_end) {
      TS_CONV_GROUP_2X2(wp, k, p);
      TS_CONV_GROUP_2X2(wp + 4, k, p + 8);
      wp += 8;
      p += 16;
    }
    for (int32_t i = 0; i < k - grouped; ++i) {
      const int32_t wa = wp[i], wb = wp[k + i];
      a00 += wa * tail[i];
      a01 += wa * tail[4 + i];
      a10 += wb * tail[i];
      a11 += wb * tail[4 + i];
    }
    /* Requantise the tile; straight-line when both channels take the fast form. */
    const int32_t m0 = mult[0], s0 = shift[0], m1 = mult[1], s1 = shift[1];
    if (TS_NN_RQ_FAST_OK(m0, s0) && TS_NN_RQ_FAST_OK(m1, s1)) {
      const int32_t r0 = (int32_t)(1u << (-s0 - 2)), r1 = (int32_t)(1u << (-s1 - 2));
      const int32_t off = m->output_offset, lo = m->act_min, hi = m->act_max;
      out0[oc] = (int8_t)ts__clamp(ts__rq_fast(a00, m0, r0, -s0 - 1) + off, lo, hi);
      out1[oc] = (int8_t)ts__clamp(ts__rq_fast(a01, m0, r0, -s0 - 1) + off, lo, hi);
      out0[oc + 1] = (int8_t)ts__clamp(ts__rq_fast(a10, m1, r1, -s1 - 1) + off, lo, hi);
      out1[oc + 1] = (int8_t)ts__clamp(ts__rq_fast(a11, m1, r1, -s1 - 1) + off, lo, hi);
    } else {
      requant(m, oc, a00, a01, out0, out1);
      requant(m, oc + 1, a10, a11, out0, out1);
    }
  }
  if (oc < m->out_c) { /* odd channel count */
    int32_t a0 = m->bias ? m->bias[oc] : 0;
    int32_t a1 = a0;
    const int16_t* p = cols;
    for (; p != cols_end; p += 8, w += 4) {
      const int32_t wv = ts__read32(w);
      const int32_t we = ts__sxtb16(wv), wo = ts__sxtb16_ror8(wv);
      a0 = ts__smlad(we, ts__read32(p), a0);
      a1 = ts__smlad(we, ts__read32(p + 4), a1);
      a0 = ts__smlad(wo, ts__read32(p + 2), a0);
      a1 = ts__smlad(wo, ts__read32(p + 6), a1);
    }
    for (int32_t i = 0; i < k - grouped; ++i) {
      a0 += w[i] * tail[i];
      a1 += w[i] * tail[4 + i];
    }
    requant(m, oc, a0, a1, out0, out1);
  }
}

#undef TS_CONV_GROUP_2X2

/* out0 = filter x lane 0 (the last pixel when the count is odd). */
__attribute__((noinline)) static void product1(const product* m, const int16_t* cols,
                                               int8_t* out0) {
  const int32_t k = m->k;
  const int32_t grouped = k & ~3;
  const int16_t* cols_end = cols + 2 * grouped;
  for (int32_t oc = 0; oc < m->out_c; ++oc) {
    const int8_t* w = m->filter + (size_t)oc * k;
    int32_t a = m->bias ? m->bias[oc] : 0;
    const int16_t* p = cols;
    for (; p != cols_end; p += 8, w += 4) {
      const int32_t wv = ts__read32(w);
      a = ts__smlad(ts__sxtb16(wv), ts__read32(p), a);
      a = ts__smlad(ts__sxtb16_ror8(wv), ts__read32(p + 2), a);
    }
    for (int32_t i = 0; i < k - grouped; ++i) a += w[i] * cols_end[i];
    requant(m, oc, a, 0, out0, NULL);
  }
}

#else /* portable */

static void product2(const product* m, const int16_t* cols, int8_t* out0, int8_t* out1) {
  const int32_t k = m->k;
  const int16_t* c0 = cols;
  const int16_t* c1 = cols + round_up4(k);
  for (int32_t oc = 0; oc < m->out_c; ++oc) {
    const int8_t* w = m->filter + (size_t)oc * k;
    int32_t a0 = m->bias ? m->bias[oc] : 0;
    int32_t a1 = a0;
    for (int32_t i = 0; i < k; ++i) {
      const int32_t wv = w[i];
      a0 += wv * c0[i];
      a1 += wv * c1[i];
    }
    requant(m, oc, a0, a1, out0, out1);
  }
}

static void product1(const product* m, const int16_t* cols, int8_t* out0) {
  const int32_t k = m->k;
  for (int32_t oc = 0; oc < m->out_c; ++oc) {
    const int8_t* w = m->filter + (size_t)oc * k;
    int32_t a = m->bias ? m->bias[oc] : 0;
    for (int32_t i = 0; i < k; ++i) a += w[i] * cols[i];
    requant(m, oc, a, 0, out0, NULL);
  }
}

#endif

/* ---- Driver ------------------------------------------------------------------------------- */

void ts_conv2d_s8(const ts_conv_params* p, const ts_channel_quant* quant, const ts_shape* in,
                  const int8_t* in_data, const ts_shape* filter, const int8_t* filter_data,
                  const int32_t* bias, const ts_shape* out, int8_t* out_data, void* scratch) {
  const int32_t k = filter->h * filter->w * filter->c;
  int16_t* cols = (int16_t*)scratch;
  const column c0 = {cols, 0, k, k & ~3};
  const column c1 = {cols, 1, k, k & ~3};
  const product m = {filter_data, bias, quant, out->c, k, p->output_offset, p->act_min, p->act_max};
  /* 1x1 without padding: a column is one input pixel, converted without the window logic. */
  const int pointwise = filter->h == 1 && filter->w == 1 && p->pad_h == 0 && p->pad_w == 0;
  const int32_t pixels = out->h * out->w;

  for (int32_t b = 0; b < out->n; ++b) {
    const int8_t* in_b = in_data + (size_t)b * in->h * in->w * in->c;
    int8_t* out_b = out_data + (size_t)b * pixels * out->c;
    for (int32_t i = 0; i < pixels; i += 2) {
      const int pair = i + 1 < pixels;
      const int32_t oy0 = i / out->w, ox0 = i % out->w;
      const int32_t oy1 = (i + 1) / out->w, ox1 = (i + 1) % out->w;
      if (pointwise) {
        const int8_t* px0 = in_b + ((size_t)oy0 * p->stride_h * in->w + ox0 * p->stride_w) * in->c;
        col_put(&c0, 0, px0, k, p->input_offset);
        if (pair) {
          const int8_t* px1 =
              in_b + ((size_t)oy1 * p->stride_h * in->w + ox1 * p->stride_w) * in->c;
          col_put(&c1, 0, px1, k, p->input_offset);
        }
      } else {
        im2col(p, in, in_b, filter, oy0, ox0, &c0);
        if (pair) im2col(p, in, in_b, filter, oy1, ox1, &c1);
      }
      int8_t* o0 = out_b + (size_t)i * out->c;
      if (pair) {
        product2(&m, cols, o0, o0 + out->c);
      } else {
        product1(&m, cols, o0);
      }
    }
  }
}
