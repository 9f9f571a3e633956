/* The int8 kernels on the target: random conv, depthwise, FC, pooling and ADD cases, each run
 * through tinysim_nn as built for the core (the DSP kernels with their inline assembly on
 * Cortex-M4/M7/M33, the portable ones with the integer requantisation on Cortex-M0/M0+/M3)
 * and checked against plain reference loops here, with XNNPACK's requantisation computed in
 * float. The host unit tests (nn_kernels_test.cpp) check the same kernels compiled for the
 * host, where the inline assembly does not exist; this program covers it. ctest runs it in
 * tinysim for every core variant (tests/nn/CMakeLists.txt), and on the host.
 *
 * Output: "kernels selftest: N cases passed" and exit status 0, or the first failing case and
 * exit status 1. */
#include <stddef.h>
#include <stdint.h>

#include "tinysim/nn.h"

#if defined(__ARM_ARCH)
#include "tinysim/semihosting.h"
#define PUTS(s) ts_puts(s)
#else
#include <stdio.h>
#define PUTS(s) fputs(s, stdout)
#endif

/* ---- Small helpers (no libc beyond the console) ---------------------------------------------- */

static uint32_t rng_state = 12345u;

static uint32_t next(void) { /* xorshift32 */
  uint32_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return rng_state = x;
}

static int32_t range(int32_t lo, int32_t hi) { /* uniform in [lo, hi] */
  return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

static char message[160];
static char* put_str(char* p, const char* s) {
  while (*s) *p++ = *s++;
  return p;
}
static char* put_int(char* p, int32_t v) {
  char digits[12];
  int n = 0;
  uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
  if (v < 0) *p++ = '-';
  do {
    digits[n++] = (char)('0' + u % 10u);
    u /= 10u;
  } while (u != 0);
  while (n > 0) *p++ = digits[--n];
  return p;
}

static int failures = 0;
static int32_t cases = 0;

static void fail(const char* what, int32_t case_index, int32_t element, int32_t got, int32_t want) {
  char* p = put_str(message, "FAIL ");
  p = put_str(p, what);
  p = put_str(p, " case ");
  p = put_int(p, case_index);
  p = put_str(p, " element ");
  p = put_int(p, element);
  p = put_str(p, ": got ");
  p = put_int(p, got);
  p = put_str(p, ", want ");
  p = put_int(p, want);
  p = put_str(p, "\n");
  *p = '\0';
  PUTS(message);
  ++failures;
}

/* One arena for every case's buffers, reset per case. */
static int8_t arena[40 * 1024] __attribute__((aligned(8)));
static size_t arena_used;

static void* alloc(size_t bytes) {
  void* p = arena + arena_used;
  arena_used += (bytes + 7u) & ~(size_t)7u;
  if (arena_used > sizeof arena) {
    PUTS("arena exhausted\n");
    ++failures;
    arena_used = 0;
  }
  return p;
}

static int8_t* random_int8s(size_t n) {
  int8_t* v = (int8_t*)alloc(n);
  for (size_t i = 0; i < n; ++i) v[i] = (int8_t)range(-128, 127);
  return v;
}

/* ---- Reference requantisation: XNNPACK's, in float ------------------------------------------ */

static float pow2(int32_t e) { /* 2^e, exact for e in [-126, 127] */
  float v = 1.0f;
  for (; e > 0; --e) v *= 2.0f;
  for (; e < 0; ++e) v *= 0.5f;
  return v;
}

static int8_t ref_requant(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset,
                          int32_t lo, int32_t hi) {
  const float scale = (float)multiplier * pow2(shift - 31);
  float v = (float)acc * scale;
  const float flo = (float)(lo - offset), fhi = (float)(hi - offset);
  v = v < flo ? flo : v > fhi ? fhi : v;
  /* Round half to even: |v| <= 255 here, so the fraction is exact. */
  int32_t r = (int32_t)v; /* toward zero */
  const float f = v - (float)r;
  if (f > 0.5f || (f == 0.5f && (r & 1))) ++r;
  if (f < -0.5f || (f == -0.5f && (r & 1))) --r;
  return (int8_t)(r + offset);
}

/* Per-channel (multiplier, shift): mostly scaling accumulators of about 2^acc_bits to int8,
 * sometimes far off (saturation, the integer path's slow cases). */
static void random_quant(int32_t channels, int32_t acc_bits, int32_t* multiplier, int32_t* shift) {
  for (int32_t c = 0; c < channels; ++c) {
    multiplier[c] = (int32_t)(0x40000000u + (next() & 0x3FFFFFFFu));
    if (range(0, 9) == 0) multiplier[c] = (int32_t)(0x7FFFFF80u + (next() & 0x7Fu)); /* carry */
    shift[c] = clamp(7 - acc_bits + range(-2, 2), -31, 0);
    if (range(0, 19) == 0) shift[c] = range(-31, 0);
  }
}

static int32_t bits_of(int32_t terms) { /* log2 of a typical accumulator of `terms` products */
  int32_t b = 14;
  for (int32_t t = 1; t * 4 <= terms; t *= 4) ++b;
  return b;
}

static void random_clamp(int32_t offset, int32_t* lo, int32_t* hi) {
  *lo = -128;
  *hi = 127;
  if (range(0, 2) == 0) *lo = offset > -128 ? offset : -128; /* ReLU */
}

/* ---- CONV_2D ----------------------------------------------------------------------------------
 */

static void conv_case(int32_t in_h, int32_t in_w, int32_t in_c, int32_t out_c, int32_t kh,
                      int32_t kw, int32_t stride, int32_t dilation, int same) {
  arena_used = 0;
  ts_conv_params p;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dilation;
  const int32_t eh = (kh - 1) * dilation + 1, ew = (kw - 1) * dilation + 1;
  int32_t oh, ow;
  if (same) {
    oh = (in_h + stride - 1) / stride;
    ow = (in_w + stride - 1) / stride;
    p.pad_h = clamp(((oh - 1) * stride + eh - in_h) / 2, 0, 1000);
    p.pad_w = clamp(((ow - 1) * stride + ew - in_w) / 2, 0, 1000);
  } else {
    if (in_h < eh || in_w < ew) return;
    oh = (in_h - eh) / stride + 1;
    ow = (in_w - ew) / stride + 1;
    p.pad_h = p.pad_w = 0;
  }
  p.input_offset = -range(-128, 127);
  p.output_offset = range(-128, 127);
  random_clamp(p.output_offset, &p.act_min, &p.act_max);
  const ts_shape in = {1, in_h, in_w, in_c}, filter = {out_c, kh, kw, in_c};
  const ts_shape out = {1, oh, ow, out_c};
  const int8_t* x = random_int8s((size_t)in_h * in_w * in_c);
  const int8_t* w = random_int8s((size_t)out_c * kh * kw * in_c);
  int32_t* bias = (int32_t*)alloc(4u * (size_t)out_c);
  int32_t* mult = (int32_t*)alloc(4u * (size_t)out_c);
  int32_t* shift = (int32_t*)alloc(4u * (size_t)out_c);
  const int32_t bits = bits_of(kh * kw * in_c);
  for (int32_t c = 0; c < out_c; ++c) bias[c] = range(-(1 << bits), 1 << bits);
  random_quant(out_c, bits, mult, shift);
  const ts_channel_quant q = {mult, shift};
  int8_t* y = (int8_t*)alloc((size_t)oh * ow * out_c);
  void* scratch = alloc(ts_conv2d_s8_scratch_bytes(&p, &in, &filter, &out));
  const int use_bias = range(0, 5) != 0;
  ts_conv2d_s8(&p, &q, &in, x, &filter, w, use_bias ? bias : NULL, &out, y, scratch);
  for (int32_t oy = 0; oy < oh; ++oy) {
    for (int32_t ox = 0; ox < ow; ++ox) {
      for (int32_t oc = 0; oc < out_c; ++oc) {
        int32_t acc = use_bias ? bias[oc] : 0;
        for (int32_t ky = 0; ky < kh; ++ky) {
          for (int32_t kx = 0; kx < kw; ++kx) {
            const int32_t iy = oy * stride - p.pad_h + ky * dilation;
            const int32_t ix = ox * stride - p.pad_w + kx * dilation;
            if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) continue;
            for (int32_t ic = 0; ic < in_c; ++ic) {
              acc += (x[(iy * in_w + ix) * in_c + ic] + p.input_offset) *
                     w[((oc * kh + ky) * kw + kx) * in_c + ic];
            }
          }
        }
        const int32_t i = (oy * ow + ox) * out_c + oc;
        const int8_t want =
            ref_requant(acc, mult[oc], shift[oc], p.output_offset, p.act_min, p.act_max);
        if (y[i] != want) {
          fail("conv", cases, i, y[i], want);
          return;
        }
      }
    }
  }
  ++cases;
}

/* ---- DEPTHWISE_CONV_2D ------------------------------------------------------------------------
 */

static void dw_case(int32_t in_h, int32_t in_w, int32_t in_c, int32_t dm, int32_t kh, int32_t kw,
                    int32_t stride, int32_t dilation) {
  arena_used = 0;
  const int32_t out_c = in_c * dm;
  ts_dw_conv_params d;
  ts_conv_params* p = &d.conv;
  d.depth_multiplier = dm;
  p->stride_h = p->stride_w = stride;
  p->dilation_h = p->dilation_w = dilation;
  const int32_t oh = (in_h + stride - 1) / stride, ow = (in_w + stride - 1) / stride;
  p->pad_h = clamp(((oh - 1) * stride + (kh - 1) * dilation + 1 - in_h) / 2, 0, 1000);
  p->pad_w = clamp(((ow - 1) * stride + (kw - 1) * dilation + 1 - in_w) / 2, 0, 1000);
  p->input_offset = -range(-128, 127);
  p->output_offset = range(-128, 127);
  random_clamp(p->output_offset, &p->act_min, &p->act_max);
  const ts_shape in = {1, in_h, in_w, in_c}, filter = {1, kh, kw, out_c};
  const ts_shape out = {1, oh, ow, out_c};
  const int8_t* x = random_int8s((size_t)in_h * in_w * in_c);
  const int8_t* w = random_int8s((size_t)kh * kw * out_c);
  int32_t* bias = (int32_t*)alloc(4u * (size_t)out_c);
  int32_t* mult = (int32_t*)alloc(4u * (size_t)out_c);
  int32_t* shift = (int32_t*)alloc(4u * (size_t)out_c);
  const int32_t bits = bits_of(kh * kw);
  for (int32_t c = 0; c < out_c; ++c) bias[c] = range(-(1 << bits), 1 << bits);
  random_quant(out_c, bits, mult, shift);
  const ts_channel_quant q = {mult, shift};
  int8_t* y = (int8_t*)alloc((size_t)oh * ow * out_c);
  void* scratch = alloc(ts_depthwise_conv2d_s8_scratch_bytes(&d, &in, &filter, &out));
  ts_depthwise_conv2d_s8(&d, &q, &in, x, &filter, w, bias, &out, y, scratch);
  for (int32_t oy = 0; oy < oh; ++oy) {
    for (int32_t ox = 0; ox < ow; ++ox) {
      for (int32_t oc = 0; oc < out_c; ++oc) {
        int32_t acc = bias[oc];
        for (int32_t ky = 0; ky < kh; ++ky) {
          for (int32_t kx = 0; kx < kw; ++kx) {
            const int32_t iy = oy * stride - p->pad_h + ky * dilation;
            const int32_t ix = ox * stride - p->pad_w + kx * dilation;
            if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) continue;
            acc += (x[(iy * in_w + ix) * in_c + oc / dm] + p->input_offset) *
                   w[(ky * kw + kx) * out_c + oc];
          }
        }
        const int32_t i = (oy * ow + ox) * out_c + oc;
        const int8_t want =
            ref_requant(acc, mult[oc], shift[oc], p->output_offset, p->act_min, p->act_max);
        if (y[i] != want) {
          fail("depthwise", cases, i, y[i], want);
          return;
        }
      }
    }
  }
  ++cases;
}

/* ---- FULLY_CONNECTED --------------------------------------------------------------------------
 */

static void fc_case(int32_t batches, int32_t in_depth, int32_t out_depth) {
  arena_used = 0;
  ts_fc_params p;
  p.input_offset = -range(-128, 127);
  p.output_offset = range(-128, 127);
  random_clamp(p.output_offset, &p.act_min, &p.act_max);
  const int8_t* x = random_int8s((size_t)batches * in_depth);
  const int8_t* w = random_int8s((size_t)out_depth * in_depth);
  int32_t* bias = (int32_t*)alloc(4u * (size_t)out_depth);
  int32_t* mult = (int32_t*)alloc(4u * (size_t)out_depth);
  int32_t* shift = (int32_t*)alloc(4u * (size_t)out_depth);
  const int32_t bits = bits_of(in_depth);
  for (int32_t c = 0; c < out_depth; ++c) bias[c] = range(-(1 << bits), 1 << bits);
  random_quant(out_depth, bits, mult, shift);
  const ts_channel_quant q = {mult, shift};
  int8_t* y = (int8_t*)alloc((size_t)batches * out_depth);
  void* scratch = alloc(ts_fully_connected_s8_scratch_bytes(in_depth, out_depth));
  ts_fully_connected_s8(&p, &q, batches, in_depth, x, w, bias, out_depth, y, scratch);
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t o = 0; o < out_depth; ++o) {
      int32_t acc = bias[o];
      for (int32_t i = 0; i < in_depth; ++i) {
        acc += (x[b * in_depth + i] + p.input_offset) * w[o * in_depth + i];
      }
      const int8_t want =
          ref_requant(acc, mult[o], shift[o], p.output_offset, p.act_min, p.act_max);
      if (y[b * out_depth + o] != want) {
        fail("fully_connected", cases, b * out_depth + o, y[b * out_depth + o], want);
        return;
      }
    }
  }
  ++cases;
}

/* ---- AVERAGE_POOL_2D (global windows: the DSP path's 16-bit sums and beyond) ------------------
 */

static void avg_pool_case(int32_t h, int32_t w, int32_t c) {
  arena_used = 0;
  const ts_pool_params p = {1, 1, 0, 0, h, w, -128, 127};
  const ts_shape in = {1, h, w, c}, out = {1, 1, 1, c};
  int8_t* x = random_int8s((size_t)h * w * c);
  if (range(0, 1)) {
    for (int32_t i = 0; i < h * w * c; ++i) x[i] = (int8_t)(range(0, 1) ? -128 : 127);
  }
  int8_t* y = (int8_t*)alloc((size_t)c);
  ts_avg_pool2d_s8(&p, &in, x, &out, y);
  const int32_t n = h * w;
  for (int32_t ch = 0; ch < c; ++ch) {
    int32_t sum = 0;
    for (int32_t i = 0; i < n; ++i) sum += x[i * c + ch];
    const int32_t want = clamp(sum > 0 ? (sum + n / 2) / n : (sum - n / 2) / n, -128, 127);
    if (y[ch] != want) {
      fail("avg_pool", cases, ch, y[ch], want);
      return;
    }
  }
  ++cases;
}

/* ---- Driver -----------------------------------------------------------------------------------
 */

int main(void) {
  /* Conv: random shapes (every k residue mod 4, odd channel counts, padding, strides, dilation:
   * the im2col gather, group and generic paths), then the bundled models' layer shapes (the
   * product loops with odd and even group counts). */
  /* (Arguments drawn one by one: their evaluation order is unspecified.) */
  for (int i = 0; i < 60 && !failures; ++i) {
    const int32_t h = range(1, 9), w = range(1, 9), c = range(1, 20), oc = range(1, 9);
    const int32_t kh = range(1, 5), kw = range(1, 5), stride = range(1, 2);
    const int32_t dilation = range(0, 4) == 0 ? 2 : 1, same = range(0, 1);
    conv_case(h, w, c, oc, kh, kw, stride, dilation, same);
  }
  conv_case(5, 5, 64, 64, 1, 1, 1, 1, 0);   /* KWS pointwise */
  conv_case(12, 10, 1, 64, 10, 4, 2, 1, 1); /* KWS first conv */
  conv_case(8, 8, 3, 16, 3, 3, 1, 1, 1);    /* IC first conv */
  conv_case(8, 8, 16, 16, 3, 3, 1, 1, 1);   /* IC 3x3, k = 144 */
  conv_case(4, 4, 64, 6, 3, 3, 1, 1, 1);    /* k = 576 */
  conv_case(8, 8, 16, 32, 1, 1, 2, 1, 0);   /* IC shortcut */
  conv_case(6, 6, 36, 5, 1, 1, 1, 1, 0);    /* 9 groups: the odd group before the loop */
  /* Depthwise: 3x3 (the unrolled taps), other windows, channel blocks and tails, multipliers. */
  for (int i = 0; i < 40 && !failures; ++i) {
    const int32_t h = range(1, 8), w = range(1, 8), c = range(1, 40);
    const int32_t dm = range(0, 4) == 0 ? 2 : 1, kh = range(1, 5);
    const int32_t kw = range(0, 3) == 0 ? range(1, 5) : kh;
    const int32_t stride = range(1, 2), dilation = range(0, 5) == 0 ? 2 : 1;
    dw_case(h, w, c, dm, kh, kw, stride, dilation);
  }
  dw_case(7, 5, 64, 1, 3, 3, 1, 1); /* KWS */
  dw_case(6, 6, 70, 1, 3, 3, 2, 1);
  /* Fully connected. */
  for (int i = 0; i < 20 && !failures; ++i) {
    const int32_t batches = range(1, 2), in_depth = range(1, 300), out_depth = range(1, 20);
    fc_case(batches, in_depth, out_depth);
  }
  /* Average pooling. */
  avg_pool_case(25, 5, 64);
  avg_pool_case(16, 16, 12);
  avg_pool_case(17, 17, 8);
  avg_pool_case(3, 2, 7);
  if (failures) return 1;
  char* p = put_str(message, "kernels selftest (");
  p = put_str(p, ts_nn_implementation());
  p = put_str(p, ", ");
  p = put_str(p, ts_nn_requantization());
  p = put_str(p, "): ");
  p = put_int(p, cases);
  p = put_str(p, " cases passed\n");
  *p = '\0';
  PUTS(message);
  return 0;
}
