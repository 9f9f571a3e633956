/* FULLY_CONNECTED. The DSP path converts the input row once to int16 (offset applied, each group
 * of 4 in SXTB16 order) and computes two output rows at a time with SMLAD. */
#include "nn_internal.h"
#if TS_NN_DSP
#include "nn_dsp.h"
#endif

size_t ts_fully_connected_s8_scratch_bytes(int32_t in_depth, int32_t out_depth) {
  (void)out_depth;
  return 2u * (size_t)((in_depth + 3) & ~3);
}

void ts_fully_connected_s8(const ts_fc_params* p, const ts_channel_quant* quant, int32_t batches,
                           int32_t in_depth, const int8_t* in_data, const int8_t* filter_data,
                           const int32_t* bias, int32_t out_depth, int8_t* out_data,
                           void* scratch) {
#if TS_NN_DSP
  int16_t* row = (int16_t*)scratch;
  const int32_t grouped = in_depth & ~3;
  const int32_t offset2 =
      (int32_t)(((uint32_t)p->input_offset << 16) | ((uint32_t)p->input_offset & 0xFFFFu));
#else
  (void)scratch;
#endif
  for (int32_t b = 0; b < batches; ++b, in_data += in_depth, out_data += out_depth) {
    int32_t o = 0;
#if TS_NN_DSP
    for (int32_t i = 0; i < grouped; i += 4) {
      const int32_t x = ts__read32(in_data + i);
      ts__write32(row + i, ts__sxtab16(offset2, x));
      ts__write32(row + i + 2, ts__sxtab16_ror8(offset2, x));
    }
    for (int32_t i = grouped; i < in_depth; ++i) row[i] = (int16_t)(in_data[i] + p->input_offset);

    for (; o + 2 <= out_depth; o += 2) {
      const int8_t* w0 = filter_data + (size_t)o * in_depth;
      const int8_t* w1 = w0 + in_depth;
      int32_t a0 = bias ? bias[o] : 0;
      int32_t a1 = bias ? bias[o + 1] : 0;
      int32_t i = 0;
      for (; i < grouped; i += 4) {
        const int32_t xe = ts__read32(row + i), xo = ts__read32(row + i + 2);
        const int32_t wa = ts__read32(w0 + i), wb = ts__read32(w1 + i);
        a0 = ts__smlad(ts__sxtb16(wa), xe, a0);
        a0 = ts__smlad(ts__sxtb16_ror8(wa), xo, a0);
        a1 = ts__smlad(ts__sxtb16(wb), xe, a1);
        a1 = ts__smlad(ts__sxtb16_ror8(wb), xo, a1);
      }
      for (; i < in_depth; ++i) {
        a0 += w0[i] * row[i];
        a1 += w1[i] * row[i];
      }
      out_data[o] = ts__requant(a0, quant->multiplier[o], quant->shift[o], p->output_offset,
                                p->act_min, p->act_max);
      out_data[o + 1] = ts__requant(a1, quant->multiplier[o + 1], quant->shift[o + 1],
                                    p->output_offset, p->act_min, p->act_max);
    }
#endif
    for (; o < out_depth; ++o) { /* portable, and the DSP path's odd last row */
      const int8_t* w = filter_data + (size_t)o * in_depth;
      int32_t acc = bias ? bias[o] : 0;
      for (int32_t i = 0; i < in_depth; ++i) acc += w[i] * (in_data[i] + p->input_offset);
      out_data[o] = ts__requant(acc, quant->multiplier[o], quant->shift[o], p->output_offset,
                                p->act_min, p->act_max);
    }
  }
}
