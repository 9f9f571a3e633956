/* tinysim_nn: int8 inference kernels for Cortex-M (and the host), with TFLite int8 semantics.
 *
 * The library computes the operators of quantised TFLite models as the TFLite interpreter does:
 * int8 activations with a per-tensor zero point, int8 weights with per-channel scales and zero
 * point 0, int32 biases, and a (multiplier, shift) pair per output channel. Conv, depthwise and
 * FC outputs are requantised by default as XNNPACK does (TFLite's default delegate): scale =
 * float(multiplier) * 2^(shift - 31), float(acc) * scale rounded to float, clamped, rounded to
 * the nearest integer (ties to even), computed in float on cores with an FPU and in integers,
 * bit-identically, on the others. Built with TS_NN_REQUANT_TFLITE they use TFLite's reference
 * fixed-point MultiplyByQuantizedMultiplier instead. ADD, pooling and SOFTMAX are TFLite's
 * reference kernels in both. The importer (`tinysim import`) generates C that calls these
 * functions; hand-written firmware may too.
 *
 * Two implementations are chosen at compile time and give bit-identical results: portable C
 * (Cortex-M0/M0+/M3, the host) and, when __ARM_FEATURE_DSP is defined (M4/M7/M33), one using
 * dual 16-bit multiply-accumulates (SMLAD), im2col and output tiling. Define TS_NN_PORTABLE to
 * force the portable one; TS_NN_EMULATE_DSP builds the DSP one on the host with C emulations of
 * the intrinsics (for tests); TS_NN_REQUANT_INTEGER forces the integer requantisation on a core
 * with an FPU or on the host (for tests). See ts_nn_requantization and docs/nn-kernels.md.
 *
 * Conventions for every function:
 *  - Tensors are NHWC, int8, densely packed; shapes count elements.
 *  - Offsets are added to raw int8 values: input_offset = -input_zero_point, output_offset =
 *    +output_zero_point. act_min/act_max are the fused activation clamp in the output's int8
 *    domain (no activation: -128, 127).
 *  - A (multiplier, shift) pair stands for the real number multiplier * 2^(shift - 31), with
 *    multiplier in [2^30, 2^31) (or 0) and shift > 0 meaning a left shift: TFLite's
 *    QuantizeMultiplier convention (see ts_quantize_multiplier). The XNNPACK requantisation
 *    accepts any multiplier in [0, 2^31) and shift in [-95, 31].
 *  - No function allocates memory. Kernels that need working memory take `scratch`, at least as
 *    many bytes as the matching *_scratch_bytes() says, 4-byte aligned, not aliasing any tensor.
 *    The scratch sizes are the same in every build (portable or DSP), so a memory plan made on
 *    the host is valid for every core.
 *  - Outputs never alias inputs, except that ts_add_s8 and ts_softmax_s8 allow out == in. */
#ifndef TINYSIM_NN_H
#define TINYSIM_NN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t n, h, w, c;
} ts_shape; /* NHWC */

typedef struct {
  const int32_t* multiplier;
  const int32_t* shift;
} ts_channel_quant; /* one per output channel */

typedef struct {
  int32_t stride_h, stride_w, pad_h,
      pad_w; /* pad = top/left padding, importer computes SAME/VALID */
  int32_t dilation_h, dilation_w;
  int32_t input_offset;     /* = -input_zero_point */
  int32_t output_offset;    /* = output_zero_point */
  int32_t act_min, act_max; /* fused activation clamp, int8 domain */
} ts_conv_params;

typedef struct {
  ts_conv_params conv;
  int32_t depth_multiplier;
} ts_dw_conv_params;

typedef struct {
  int32_t input_offset, output_offset, act_min, act_max;
} ts_fc_params;

typedef struct {
  int32_t stride_h, stride_w, pad_h, pad_w, filter_h, filter_w, act_min, act_max;
} ts_pool_params;

typedef struct {
  int32_t input1_offset, input2_offset, output_offset, left_shift;
  int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift, act_min, act_max;
} ts_add_params;

typedef struct {
  int32_t input_multiplier, input_left_shift, diff_min;
} ts_softmax_params;

/* ---- CONV_2D ------------------------------------------------------------------------------ */

/* Bytes of scratch ts_conv2d_s8 needs for these shapes: an int16 im2col buffer for two output
 * pixels, 4 * round_up(filter->h * filter->w * filter->c, 4) bytes. */
size_t ts_conv2d_s8_scratch_bytes(const ts_conv_params*, const ts_shape* in, const ts_shape* filter,
                                  const ts_shape* out);

/* 2-D convolution, TFLite CONV_2D (int8, per-channel weights).
 * in: [n, h, w, c]; filter: [out_c, kh, kw, in_c] as ts_shape {out_c, kh, kw, in_c};
 * bias: out_c int32 values in units of input_scale * weight_scale[oc], or NULL for none;
 * out: [n, oh, ow, out_c]. Input element (y, x) of output (oy, ox), tap (ky, kx) is
 * y = oy * stride_h - pad_h + ky * dilation_h (likewise x); positions outside the input
 * contribute nothing (they read as the input zero point).
 * REQUIRES: filter->c == in->c, out->c == filter->n, out->n == in->n, strides and dilations
 * >= 1, quant has out_c entries, scratch as ts_conv2d_s8_scratch_bytes(). */
void ts_conv2d_s8(const ts_conv_params*, const ts_channel_quant*, const ts_shape* in,
                  const int8_t* in_data, const ts_shape* filter, const int8_t* filter_data,
                  const int32_t* bias, const ts_shape* out, int8_t* out_data, void* scratch);

/* ---- DEPTHWISE_CONV_2D -------------------------------------------------------------------- */

/* Bytes of scratch ts_depthwise_conv2d_s8 needs: round_up(in->c, 4) (a row of input zero
 * points that stands in for taps outside the input). */
size_t ts_depthwise_conv2d_s8_scratch_bytes(const ts_dw_conv_params*, const ts_shape* in,
                                            const ts_shape* filter, const ts_shape* out);

/* Depthwise 2-D convolution, TFLite DEPTHWISE_CONV_2D.
 * filter: [1, kh, kw, out_c] (TFLite layout), out_c = in_c * depth_multiplier; output channel
 * oc = ic * depth_multiplier + m reads input channel ic. Geometry and bias as ts_conv2d_s8.
 * REQUIRES: out->c == filter->c == in->c * depth_multiplier, depth_multiplier >= 1, quant has
 * out_c entries, scratch as ts_depthwise_conv2d_s8_scratch_bytes(). */
void ts_depthwise_conv2d_s8(const ts_dw_conv_params*, const ts_channel_quant*, const ts_shape* in,
                            const int8_t* in_data, const ts_shape* filter,
                            const int8_t* filter_data, const int32_t* bias, const ts_shape* out,
                            int8_t* out_data, void* scratch);

/* ---- FULLY_CONNECTED ---------------------------------------------------------------------- */

/* Bytes of scratch ts_fully_connected_s8 needs: the input row as int16, 2 * round_up(in_depth,
 * 4) bytes. */
size_t ts_fully_connected_s8_scratch_bytes(int32_t in_depth, int32_t out_depth);

/* Fully connected layer: out[b][o] = requant(sum_i filter[o][i] * (in[b][i] + input_offset) +
 * bias[o]). in: [batches, in_depth]; filter: [out_depth, in_depth]; bias: out_depth values or
 * NULL; out: [batches, out_depth]. quant has out_depth entries (the importer replicates a
 * per-tensor scale). */
void ts_fully_connected_s8(const ts_fc_params*, const ts_channel_quant*, int32_t batches,
                           int32_t in_depth, const int8_t* in_data, const int8_t* filter_data,
                           const int32_t* bias, int32_t out_depth, int8_t* out_data, void* scratch);

/* ---- Pooling ------------------------------------------------------------------------------ */

/* Average pooling, TFLite AVERAGE_POOL_2D: the mean of the window's elements inside the input
 * (padding is not counted), rounded half away from zero, then clamped to [act_min, act_max].
 * Input and output share scale and zero point. REQUIRES: out->c == in->c, out->n == in->n. */
void ts_avg_pool2d_s8(const ts_pool_params*, const ts_shape* in, const int8_t* in_data,
                      const ts_shape* out, int8_t* out_data);

/* Max pooling, TFLite MAX_POOL_2D: the maximum of the window's elements inside the input,
 * clamped to [act_min, act_max]. REQUIRES as ts_avg_pool2d_s8. */
void ts_max_pool2d_s8(const ts_pool_params*, const ts_shape* in, const int8_t* in_data,
                      const ts_shape* out, int8_t* out_data);

/* ---- ADD ---------------------------------------------------------------------------------- */

/* Elementwise addition of two int8 tensors of `size` elements with different scales, TFLite
 * ADD (no broadcasting): both inputs are offset, shifted left by left_shift (20 for int8),
 * rescaled by their multipliers to a common scale, summed, rescaled by the output multiplier,
 * offset and clamped. Multiplier shifts are <= 0 here (see ts_add_prepare). out may equal in1
 * or in2. */
void ts_add_s8(const ts_add_params*, int32_t size, const int8_t* in1, const int8_t* in2,
               int8_t* out);

/* ---- SOFTMAX ------------------------------------------------------------------------------ */

/* Softmax over the last dimension, TFLite's reference int8 -> int8 kernel: in and out are
 * [outer, depth]; the output has scale 1/256 and zero point -128. Parameters: see
 * ts_softmax_prepare. out may equal in. */
void ts_softmax_s8(const ts_softmax_params*, int32_t outer, int32_t depth, const int8_t* in,
                   int8_t* out);

/* ---- Helpers (also for the importer on the host) ------------------------------------------ */

/* TFLite's MultiplyByQuantizedMultiplier: round(x * multiplier * 2^(shift - 31)) computed as
 * RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^max(shift, 0), multiplier),
 * max(-shift, 0)). The left shift wraps on overflow as two's complement hardware does. */
int32_t ts_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift);

/* TFLite's QuantizeMultiplier: splits real = multiplier * 2^(shift - 31) with multiplier in
 * [2^30, 2^31) (0 for real == 0, and for reals below 2^-32). Uses double arithmetic; meant for
 * the host. REQUIRES: real >= 0 and finite. */
void ts_quantize_multiplier(double real, int32_t* multiplier, int32_t* shift);

/* Parameters of ts_softmax_s8 from the SOFTMAX beta and the input scale, as TFLite prepares its
 * reference int8 kernel (5 integer bits for scaled differences). Host helper (double). */
void ts_softmax_prepare(double beta, double input_scale, ts_softmax_params* params);

/* Parameters of ts_add_s8 as TFLite prepares int8 ADD (left_shift 20). Scales are the tensors'
 * float scales; act_min/act_max as for the other kernels. Host helper (double). */
void ts_add_prepare(double input1_scale, int32_t input1_zero_point, double input2_scale,
                    int32_t input2_zero_point, double output_scale, int32_t output_zero_point,
                    int32_t act_min, int32_t act_max, ts_add_params* params);

/* "dsp" or "portable": the implementation this build of the library contains. */
const char* ts_nn_implementation(void);

/* How this build requantises conv, depthwise and FC outputs: "xnnpack-float" (the default with
 * an FPU, and on the host), "xnnpack-integer" (the default without an FPU, or
 * TS_NN_REQUANT_INTEGER; bit-identical to the float one) or "tflite" (TS_NN_REQUANT_TFLITE:
 * TFLite's reference MultiplyByQuantizedMultiplier). */
const char* ts_nn_requantization(void);

#ifdef __cplusplus
}
#endif

#endif /* TINYSIM_NN_H */
