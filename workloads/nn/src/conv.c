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
 * pixels from one pointer; the k - grouped tail values follow, lane j at 2 * grouped + 4 * j.
 *
 * A column is written as a sequence of runs of input bytes (a row of the window) and of padding,
 * in filter order [kh, kw, in_c]. Padding is written as the input zero point, which the input
 * offset turns into 0. */

#if TS_NN_DSP

/* Writes one lane of the DSP layout. Whole groups of 4 bytes are loaded as one word and
 * unpacked with the offset by two SXTAB16; a group split between runs is assembled in
 * `pending` first. */
typedef struct {
  int16_t* dst;            /* the next group of this lane */
  int16_t* tail;           /* where the values after the last whole group go */
  int32_t groups_left;     /* whole groups still to write */
  uint32_t pending;        /* bytes of the next group so far, little-endian */
  int32_t n_pending;       /* how many */
  int32_t offset, offset2; /* the input offset, also in both halfwords */
} col_writer;

TS_NN_INLINE void col_group(col_writer* c, int32_t word) {
  ts__write32(c->dst, ts__sxtab16(c->offset2, word));
  ts__write32(c->dst + 2, ts__sxtab16_ror8(c->offset2, word));
  c->dst += 8; /* the other lane's group is in between */
  --c->groups_left;
}

/* One byte, through `pending`, or to the tail once the whole groups are written. */
static void col_byte(col_writer* c, int32_t v) {
  if (c->groups_left == 0) {
    *c->tail++ = (int16_t)(v + c->offset);
    return;
  }
  c->pending |= ((uint32_t)v & 0xFFu) << (8 * c->n_pending);
  if (++c->n_pending == 4) {
    col_group(c, (int32_t)c->pending);
    c->pending = 0;
    c->n_pending = 0;
  }
}

/* len bytes from src, or (src NULL) len bytes of padding. The whole groups work on locals: the
 * stores through int16_t pointers could alias the writer and force reloads. */
static void col_run(col_writer* c, const int8_t* src, int32_t len) {
  while (len > 0 && c->n_pending != 0) {
    col_byte(c, src ? *src++ : -c->offset);
    --len;
  }
  int32_t whole = ts__min(len >> 2, c->groups_left);
  if (whole > 0) {
    int16_t* dst = c->dst;
    const int32_t offset2 = c->offset2;
    len -= 4 * whole;
    c->groups_left -= whole;
    c->dst = dst + 8 * whole;
    if (src) {
      for (; whole >= 2; whole -= 2, src += 8, dst += 16) {
        const int32_t x = ts__read32(src), y = ts__read32(src + 4);
        ts__write32(dst, ts__sxtab16(offset2, x));
        ts__write32(dst + 2, ts__sxtab16_ror8(offset2, x));
        ts__write32(dst + 8, ts__sxtab16(offset2, y));
        ts__write32(dst + 10, ts__sxtab16_ror8(offset2, y));
      }
      if (whole) {
        const int32_t x = ts__read32(src);
        ts__write32(dst, ts__sxtab16(offset2, x));
        ts__write32(dst + 2, ts__sxtab16_ror8(offset2, x));
        src += 4;
      }
    } else { /* padding: zeros */
      for (; whole > 0; --whole, dst += 8) {
        ts__write32(dst, 0);
        ts__write32(dst + 2, 0);
      }
    }
  }
  for (; len > 0; --len) col_byte(c, src ? *src++ : -c->offset);
}

static void col_start(col_writer* c, int16_t* cols, int32_t lane, int32_t k, int32_t offset) {
  const int32_t grouped = k & ~3;
  c->dst = cols + 4 * lane;
  c->tail = cols + 2 * grouped + 4 * lane;
  c->groups_left = grouped >> 2;
  c->pending = 0;
  c->n_pending = 0;
  c->offset = offset;
  c->offset2 = ts__dup16(offset);
}

#else /* portable: in order */

typedef struct {
  int16_t* dst;
  int32_t offset;
} col_writer;

static void col_run(col_writer* c, const int8_t* src, int32_t len) {
  if (src) {
    for (int32_t i = 0; i < len; ++i) c->dst[i] = (int16_t)(src[i] + c->offset);
  } else {
    for (int32_t i = 0; i < len; ++i) c->dst[i] = 0;
  }
  c->dst += len;
}

static void col_start(col_writer* c, int16_t* cols, int32_t lane, int32_t k, int32_t offset) {
  c->dst = cols + lane * round_up4(k);
  c->offset = offset;
}

#endif

#if TS_NN_DSP
/* Whole groups into the DSP layout: `groups` input words from src (or zeros when src is NULL)
 * to every other group of dst. Returns the next group of the lane. */
TS_NN_INLINE int16_t* put_groups(int16_t* dst, const int8_t* src, int32_t groups, int32_t offset2) {
  if (!src) {
    for (; groups > 0; --groups, dst += 8) {
      ts__write32(dst, 0);
      ts__write32(dst + 2, 0);
    }
    return dst;
  }
  for (; groups >= 2; groups -= 2, src += 8, dst += 16) {
    const int32_t x = ts__read32(src), y = ts__read32(src + 4);
    ts__write32(dst, ts__sxtab16(offset2, x));
    ts__write32(dst + 2, ts__sxtab16_ror8(offset2, x));
    ts__write32(dst + 8, ts__sxtab16(offset2, y));
    ts__write32(dst + 10, ts__sxtab16_ror8(offset2, y));
  }
  if (groups) {
    const int32_t x = ts__read32(src);
    ts__write32(dst, ts__sxtab16(offset2, x));
    ts__write32(dst + 2, ts__sxtab16_ror8(offset2, x));
    dst += 8;
  }
  return dst;
}

/* im2col for in_c a multiple of 4 without horizontal dilation, the common case: every run is
 * whole groups, so no group straddles two runs and there is no tail. */
static void im2col_groups(const ts_conv_params* p, const ts_shape* in, const int8_t* in_b,
                          const ts_shape* f, int32_t oy, int32_t ox, int16_t* cols, int32_t lane) {
  const int32_t depth = in->c, taps_w = f->w, g = depth >> 2; /* groups per tap */
  const int32_t y_origin = oy * p->stride_h - p->pad_h;
  const int32_t x_origin = ox * p->stride_w - p->pad_w;
  const int32_t kx0 = ts__min(taps_w, ts__max(0, -x_origin));
  const int32_t kx1 = ts__max(kx0, ts__min(taps_w, in->w - x_origin));
  const int32_t offset2 = ts__dup16(p->input_offset);
  const size_t row_bytes = (size_t)in->w * depth;
  const int8_t* const first = in_b + (x_origin + kx0) * depth; /* in row 0, if kx1 > kx0 */
  int16_t* dst = cols + 4 * lane;
  for (int32_t ky = 0, y = y_origin; ky < f->h; ++ky, y += p->dilation_h) {
    if (y < 0 || y >= in->h || kx1 == kx0) {
      dst = put_groups(dst, NULL, taps_w * g, 0);
      continue;
    }
    dst = put_groups(dst, NULL, kx0 * g, 0);
    dst = put_groups(dst, first + (size_t)y * row_bytes, (kx1 - kx0) * g, offset2);
    dst = put_groups(dst, NULL, (taps_w - kx1) * g, 0);
  }
}

/* Small windows whose rows are not whole groups (in_c of 1 or 3, say): the window's bytes are
 * gathered in filter order into a stack buffer (the zero point for padding), then converted a
 * group at a time, instead of assembling groups across rows byte by byte. */
#define TS_CONV_GATHER_BYTES 256

/* n bytes from src (or, src NULL, n bytes zp4 & 0xFF) to dst; returns dst + n. Word copies: a
 * loop of bytes would become a memcpy call, slow for a few bytes. */
TS_NN_INLINE int8_t* gather(int8_t* dst, const int8_t* src, int32_t n, int32_t zp4) {
  if (src) {
    for (; n >= 4; n -= 4, src += 4, dst += 4) ts__write32(dst, ts__read32(src));
    for (; n > 0; --n) *dst++ = *src++;
  } else {
    for (; n >= 4; n -= 4, dst += 4) ts__write32(dst, zp4);
    for (; n > 0; --n) *dst++ = (int8_t)zp4;
  }
  return dst;
}

static void im2col_gather(const ts_conv_params* p, const ts_shape* in, const int8_t* in_b,
                          const ts_shape* f, int32_t oy, int32_t ox, int16_t* cols, int32_t lane) {
  int8_t buf[TS_CONV_GATHER_BYTES + 4];
  const int32_t depth = in->c;
  const int32_t k = f->h * f->w * depth;
  const int32_t row_len = f->w * depth;
  const int32_t y_origin = oy * p->stride_h - p->pad_h;
  const int32_t x_origin = ox * p->stride_w - p->pad_w;
  const int32_t zp4 = (int32_t)(((uint32_t)-p->input_offset & 0xFFu) * 0x01010101u);
  int32_t kx0 = 0, kx1 = f->w; /* with dilation_w 1: the taps of a row inside the input */
  if (p->dilation_w == 1) {
    kx0 = ts__min(f->w, ts__max(0, -x_origin));
    kx1 = ts__max(kx0, ts__min(f->w, in->w - x_origin));
  }
  const int full = p->dilation_w == 1 && kx0 == 0 && kx1 == f->w; /* rows without padding */
  int8_t* b = buf;
  for (int32_t ky = 0, y = y_origin; ky < f->h; ++ky, y += p->dilation_h) {
    if (y < 0 || y >= in->h) {
      b = gather(b, NULL, row_len, zp4);
      continue;
    }
    const int8_t* in_row = in_b + (size_t)y * in->w * depth;
    if (full) {
      b = gather(b, in_row + (size_t)x_origin * depth, row_len, zp4);
    } else if (p->dilation_w == 1) {
      b = gather(b, NULL, kx0 * depth, zp4);
      b = gather(b, in_row + (size_t)(x_origin + kx0) * depth, (kx1 - kx0) * depth, zp4);
      b = gather(b, NULL, (f->w - kx1) * depth, zp4);
    } else {
      for (int32_t kx = 0, x = x_origin; kx < f->w; ++kx, x += p->dilation_w) {
        b = gather(b, x >= 0 && x < in->w ? in_row + (size_t)x * depth : NULL, depth, zp4);
      }
    }
  }
  const int32_t grouped = k & ~3;
  put_groups(cols + 4 * lane, buf, grouped >> 2, ts__dup16(p->input_offset));
  int16_t* tail = cols + 2 * grouped + 4 * lane;
  for (int32_t i = grouped; i < k; ++i) *tail++ = (int16_t)(buf[i] + p->input_offset);
}
#endif

/* The column of output pixel (oy, ox) into lane `lane`: the filter window over the input, in
 * filter order [kh, kw, in_c]. */
static void im2col(const ts_conv_params* p, const ts_shape* in, const int8_t* in_b,
                   const ts_shape* f, int32_t oy, int32_t ox, int16_t* cols, int32_t lane) {
#if TS_NN_DSP
  if ((in->c & 3) == 0 && p->dilation_w == 1) {
    im2col_groups(p, in, in_b, f, oy, ox, cols, lane);
    return;
  }
  if (f->h * f->w * in->c <= TS_CONV_GATHER_BYTES) {
    im2col_gather(p, in, in_b, f, oy, ox, cols, lane);
    return;
  }
#endif
  const int32_t depth = in->c;
  const int32_t row_len = f->w * depth;
  const int32_t y_origin = oy * p->stride_h - p->pad_h;
  const int32_t x_origin = ox * p->stride_w - p->pad_w;
  col_writer c;
  col_start(&c, cols, lane, f->h * row_len, p->input_offset);
  /* The taps [kx0, kx1) of a row lie inside the input. */
  int32_t kx0 = 0, kx1 = f->w;
  if (p->dilation_w == 1) {
    kx0 = ts__min(f->w, ts__max(0, -x_origin));
    kx1 = ts__max(kx0, ts__min(f->w, in->w - x_origin));
  }
  for (int32_t ky = 0; ky < f->h; ++ky) {
    const int32_t y = y_origin + ky * p->dilation_h;
    if (y < 0 || y >= in->h) {
      col_run(&c, NULL, row_len);
      continue;
    }
    const int8_t* in_row = in_b + (size_t)y * in->w * depth;
    if (p->dilation_w == 1) { /* the valid taps of the row are contiguous in the input */
      if (kx0 > 0) col_run(&c, NULL, kx0 * depth);
      if (kx1 > kx0) col_run(&c, in_row + (size_t)(x_origin + kx0) * depth, (kx1 - kx0) * depth);
      if (kx1 < f->w) col_run(&c, NULL, (f->w - kx1) * depth);
    } else {
      for (int32_t kx = 0; kx < f->w; ++kx) {
        const int32_t x = x_origin + kx * p->dilation_w;
        col_run(&c, x < 0 || x >= in->w ? NULL : in_row + (size_t)x * depth, depth);
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
  const ts__rq* rq; /* every channel's requantisation prepared, or NULL */
  int32_t out_c, k, output_offset, act_min, act_max;
  int32_t off2, lo2, hi2; /* output_offset, act_min, act_max in both halfwords (DSP) */
} product;

/* Up to this many channels have their requantisation prepared once per call (on the stack),
 * when a prepared one is small (the float scale). */
#define TS_CONV_RQ_CACHE (sizeof(ts__rq) <= 8 ? 64 : 1)

/* Requantises channel oc of both pixels (out1 may be NULL). */
TS_NN_INLINE void requant(const product* m, int32_t oc, int32_t acc0, int32_t acc1, int8_t* out0,
                          int8_t* out1) {
  ts__rq q;
  ts__rq_prepare(&q, m->quant->multiplier[oc], m->quant->shift[oc]);
  out0[oc] = ts__rq_out(&q, acc0, m->output_offset, m->act_min, m->act_max);
  if (out1) out1[oc] = ts__rq_out(&q, acc1, m->output_offset, m->act_min, m->act_max);
}

#if TS_NN_DSP

/* One group of 4 weights of channels oc (wa) and oc + 1 (wb) against both lanes (p). The loads
 * come in runs (weights and even column words, then odd column words): Cortex-M4 pipelines
 * back-to-back loads (1 cycle each after the first) but not loads between other instructions.
 * At most five values are live besides the accumulators, so nothing spills. */
#define TS_CONV_GROUP_2X2(wa, wb, p)   \
  do {                                 \
    const int32_t a_ = ts__read32(wa); \
    const int32_t b_ = ts__read32(wb); \
    int32_t x0_ = ts__read32(p);       \
    int32_t x1_ = ts__read32((p) + 4); \
    int32_t d_ = ts__sxtb16(a_);       \
    a00 = ts__smlad(d_, x0_, a00);     \
    a01 = ts__smlad(d_, x1_, a01);     \
    d_ = ts__sxtb16(b_);               \
    a10 = ts__smlad(d_, x0_, a10);     \
    a11 = ts__smlad(d_, x1_, a11);     \
    x0_ = ts__read32((p) + 2);         \
    x1_ = ts__read32((p) + 6);         \
    d_ = ts__sxtb16_ror8(a_);          \
    a00 = ts__smlad(d_, x0_, a00);     \
    a01 = ts__smlad(d_, x1_, a01);     \
    d_ = ts__sxtb16_ror8(b_);          \
    a10 = ts__smlad(d_, x0_, a10);     \
    a11 = ts__smlad(d_, x1_, a11);     \
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
  const int32_t pairs_end = m->out_c & ~1;
  /* Each tile derives its pointers from oc and m: fewer values live across the product loop,
   * which needs most registers, than with one induction variable per array. */
  int32_t oc = 0;
  for (; oc < pairs_end; oc += 2) {
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0; /* a<channel><lane> */
    if (m->bias) {
      a00 = a01 = m->bias[oc];
      a10 = a11 = m->bias[oc + 1];
    }
    const int8_t* w = m->filter + (size_t)oc * k;
    const int8_t* wa = w;
    const int8_t* wb = w + k;
    const int16_t* p = cols;
    if (grouped & 4) { /* odd number of groups */
      TS_CONV_GROUP_2X2(wa, wb, p);
      wa += 4;
      wb += 4;
      p += 8;
    }
#if defined(TS_NN_EMULATE_DSP) || defined(TS_NN_DUAL_ISSUE)
    while (p != cols_end) {
      TS_CONV_GROUP_2X2(wa, wb, p);
      TS_CONV_GROUP_2X2(wa + 4, wb + 4, p + 8);
      wa += 8;
      wb += 8;
      p += 16;
    }
#else
    /* The same two groups per iteration with post-indexed loads (no separate pointer updates),
     * in the order above: GCC would reorder the loads and not fold the increments. */
    if (p != cols_end) {
      int32_t a_, b_, x0_, x1_, d_;
      __asm__ volatile(
          "1:\n\t"
          "ldr %[a], [%[wa]], #4\n\t"
          "ldr %[b], [%[wb]], #4\n\t"
          "ldr %[x0], [%[p]], #32\n\t"
          "ldr %[x1], [%[p], #-24]\n\t"
          "sxtb16 %[d], %[a]\n\t"
          "smlad %[a00], %[d], %[x0], %[a00]\n\t"
          "smlad %[a01], %[d], %[x1], %[a01]\n\t"
          "sxtb16 %[d], %[b]\n\t"
          "smlad %[a10], %[d], %[x0], %[a10]\n\t"
          "smlad %[a11], %[d], %[x1], %[a11]\n\t"
          "ldr %[x0], [%[p], #-28]\n\t"
          "ldr %[x1], [%[p], #-20]\n\t"
          "sxtb16 %[d], %[a], ror #8\n\t"
          "smlad %[a00], %[d], %[x0], %[a00]\n\t"
          "smlad %[a01], %[d], %[x1], %[a01]\n\t"
          "sxtb16 %[d], %[b], ror #8\n\t"
          "smlad %[a10], %[d], %[x0], %[a10]\n\t"
          "smlad %[a11], %[d], %[x1], %[a11]\n\t"
          "ldr %[a], [%[wa]], #4\n\t"
          "ldr %[b], [%[wb]], #4\n\t"
          "ldr %[x0], [%[p], #-16]\n\t"
          "ldr %[x1], [%[p], #-8]\n\t"
          "sxtb16 %[d], %[a]\n\t"
          "smlad %[a00], %[d], %[x0], %[a00]\n\t"
          "smlad %[a01], %[d], %[x1], %[a01]\n\t"
          "sxtb16 %[d], %[b]\n\t"
          "smlad %[a10], %[d], %[x0], %[a10]\n\t"
          "smlad %[a11], %[d], %[x1], %[a11]\n\t"
          "ldr %[x0], [%[p], #-12]\n\t"
          "ldr %[x1], [%[p], #-4]\n\t"
          "sxtb16 %[d], %[a], ror #8\n\t"
          "smlad %[a00], %[d], %[x0], %[a00]\n\t"
          "smlad %[a01], %[d], %[x1], %[a01]\n\t"
          "sxtb16 %[d], %[b], ror #8\n\t"
          "smlad %[a10], %[d], %[x0], %[a10]\n\t"
          "smlad %[a11], %[d], %[x1], %[a11]\n\t"
          "cmp %[p], %[end]\n\t"
          "bne 1b"
          : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [wa] "+r"(wa),
            [wb] "+r"(wb), [p] "+r"(p), [a] "=&r"(a_), [b] "=&r"(b_), [x0] "=&r"(x0_),
            [x1] "=&r"(x1_), [d] "=&r"(d_)
          : [end] "r"(cols_end)
          : "cc"); /* reads the weights and columns, which nothing in this function writes */
    }
#endif
    for (int32_t i = 0; i < k - grouped; ++i) {
      const int32_t va = wa[i], vb = wb[i];
      a00 += va * tail[i];
      a01 += va * tail[4 + i];
      a10 += vb * tail[i];
      a11 += vb * tail[4 + i];
    }
    ts__rq q_here[2];
    const ts__rq* q = m->rq ? m->rq + oc : q_here;
    if (!m->rq) {
      ts__rq_prepare(&q_here[0], m->quant->multiplier[oc], m->quant->shift[oc]);
      ts__rq_prepare(&q_here[1], m->quant->multiplier[oc + 1], m->quant->shift[oc + 1]);
    }
    ts__rq_value4(&q[0], &q[0], &q[1], &q[1], &a00, &a01, &a10, &a11);
    const int32_t o0 = ts__out2_s8(a00, a10, m->off2, m->lo2, m->hi2);
    const int32_t o1 = ts__out2_s8(a01, a11, m->off2, m->lo2, m->hi2);
    ts__write16(out0 + oc, o0);
    ts__write16(out1 + oc, o1);
  }
  if (oc < m->out_c) { /* odd channel count */
    int32_t a0 = m->bias ? m->bias[oc] : 0;
    int32_t a1 = a0;
    const int16_t* p = cols;
    const int8_t* w = m->filter + (size_t)oc * k;
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
  int32_t oc = 0;
#if !(defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB == 1)
  /* Tiles of 2 channels x 2 pixels: 4 loads per 4 MACs. Not on ARMv6-M, whose 8 low registers
   * cannot hold them (it spills in the loop). */
  for (; oc + 2 <= m->out_c; oc += 2) {
    const int8_t* wa = m->filter + (size_t)oc * k;
    const int8_t* wb = wa + k;
    int32_t a00 = 0, a10 = 0;
    if (m->bias) {
      a00 = m->bias[oc];
      a10 = m->bias[oc + 1];
    }
    int32_t a01 = a00, a11 = a10;
    for (int32_t i = 0; i < k; ++i) {
      const int32_t x0 = c0[i], x1 = c1[i], va = wa[i], vb = wb[i];
      a00 += va * x0;
      a01 += va * x1;
      a10 += vb * x0;
      a11 += vb * x1;
    }
    requant(m, oc, a00, a01, out0, out1);
    requant(m, oc + 1, a10, a11, out0, out1);
  }
#endif
  for (; oc < m->out_c; ++oc) {
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
  ts__rq rq[TS_CONV_RQ_CACHE];
  const int cache = TS_NN_DSP && sizeof(ts__rq) <= 8 && out->c <= TS_CONV_RQ_CACHE;
  if (cache) {
    for (int32_t c = 0; c < out->c; ++c) {
      ts__rq_prepare(&rq[c], quant->multiplier[c], quant->shift[c]);
    }
  }
  const product m = {filter_data,
                     bias,
                     quant,
                     cache ? rq : NULL,
                     out->c,
                     k,
                     p->output_offset,
                     p->act_min,
                     p->act_max,
                     (int32_t)(((uint32_t)p->output_offset << 16) | (p->output_offset & 0xFFFF)),
                     (int32_t)(((uint32_t)p->act_min << 16) | (p->act_min & 0xFFFF)),
                     (int32_t)(((uint32_t)p->act_max << 16) | (p->act_max & 0xFFFF))};
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
        col_writer c;
        const int8_t* px0 = in_b + ((size_t)oy0 * p->stride_h * in->w + ox0 * p->stride_w) * in->c;
        col_start(&c, cols, 0, k, p->input_offset);
        col_run(&c, px0, k);
        if (pair) {
          const int8_t* px1 =
              in_b + ((size_t)oy1 * p->stride_h * in->w + ox1 * p->stride_w) * in->c;
          col_start(&c, cols, 1, k, p->input_offset);
          col_run(&c, px1, k);
        }
      } else {
        im2col(p, in, in_b, filter, oy0, ox0, cols, 0);
        if (pair) im2col(p, in, in_b, filter, oy1, ox1, cols, 1);
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
