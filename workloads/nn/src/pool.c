/* AVERAGE_POOL_2D and MAX_POOL_2D, as TFLite's reference integer kernels: the window is clipped
 * to the input, so padding never counts. */
#include "nn_internal.h"
#if TS_NN_DSP
#include "nn_dsp.h"
#endif

/* The window of output coordinate o along one axis, clipped to [0, size). */
static void window(int32_t o, int32_t stride, int32_t pad, int32_t filter, int32_t size,
                   int32_t* start, int32_t* end) {
  const int32_t origin = o * stride - pad;
  *start = ts__max(0, -origin) + origin;
  *end = ts__min(filter, size - origin) + origin;
}

void ts_avg_pool2d_s8(const ts_pool_params* p, const ts_shape* in, const int8_t* in_data,
                      const ts_shape* out, int8_t* out_data) {
  const int32_t depth = in->c;
  for (int32_t b = 0; b < out->n; ++b) {
    const int8_t* in_b = in_data + (size_t)b * in->h * in->w * depth;
    for (int32_t oy = 0; oy < out->h; ++oy) {
      int32_t y0, y1;
      window(oy, p->stride_h, p->pad_h, p->filter_h, in->h, &y0, &y1);
      for (int32_t ox = 0; ox < out->w; ++ox) {
        int32_t x0, x1;
        window(ox, p->stride_w, p->pad_w, p->filter_w, in->w, &x0, &x1);
        const int32_t count = (y1 - y0) * (x1 - x0);
        int32_t c = 0;
#if TS_NN_DSP
        /* 4 channels at a time: SXTAB16 sums bytes 0/2 and 1/3 of each input word into 16-bit
         * lanes, exact while the window has at most 255 elements (|sum| <= 255 * 128). */
        if (count > 0 && count <= 255) {
          for (; c + 4 <= depth; c += 4) {
            int32_t even = 0, odd = 0; /* [c, c + 2], [c + 1, c + 3] */
            for (int32_t y = y0; y < y1; ++y) {
              const int8_t* px = in_b + ((size_t)y * in->w + (size_t)x0) * depth + c;
              for (int32_t x = x0; x < x1; ++x, px += depth) {
                const int32_t v = ts__read32(px);
                even = ts__sxtab16(even, v);
                odd = ts__sxtab16_ror8(odd, v);
              }
            }
            const int32_t sums[4] = {(int16_t)even, (int16_t)odd, even >> 16, odd >> 16};
            for (int32_t i = 0; i < 4; ++i) {
              const int32_t sum = sums[i];
              int32_t v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
              *out_data++ = (int8_t)ts__min(ts__max(v, p->act_min), p->act_max);
            }
          }
        }
#endif
        for (; c < depth; ++c) {
          int32_t sum = 0;
          for (int32_t y = y0; y < y1; ++y) {
            const int8_t* row = in_b + ((size_t)y * in->w) * depth + c;
            for (int32_t x = x0; x < x1; ++x) sum += row[(size_t)x * depth];
          }
          int32_t v = 0;
          if (count > 0) { /* round half away from zero, as TFLite */
            v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
          }
          v = ts__min(ts__max(v, p->act_min), p->act_max);
          *out_data++ = (int8_t)v;
        }
      }
    }
  }
}

void ts_max_pool2d_s8(const ts_pool_params* p, const ts_shape* in, const int8_t* in_data,
                      const ts_shape* out, int8_t* out_data) {
  const int32_t depth = in->c;
  for (int32_t b = 0; b < out->n; ++b) {
    const int8_t* in_b = in_data + (size_t)b * in->h * in->w * depth;
    for (int32_t oy = 0; oy < out->h; ++oy) {
      int32_t y0, y1;
      window(oy, p->stride_h, p->pad_h, p->filter_h, in->h, &y0, &y1);
      for (int32_t ox = 0; ox < out->w; ++ox) {
        int32_t x0, x1;
        window(ox, p->stride_w, p->pad_w, p->filter_w, in->w, &x0, &x1);
        for (int32_t c = 0; c < depth; ++c) {
          int32_t v = INT8_MIN;
          for (int32_t y = y0; y < y1; ++y) {
            const int8_t* row = in_b + ((size_t)y * in->w) * depth + c;
            for (int32_t x = x0; x < x1; ++x) v = ts__max(v, row[(size_t)x * depth]);
          }
          v = ts__min(ts__max(v, p->act_min), p->act_max);
          *out_data++ = (int8_t)v;
        }
      }
    }
  }
}
