/* Stand-in CMSIS-NN kernels (see ../../README.md): the names of the real functions, small loops
 * for bodies. Each output element is a dot product of `taps` inputs with fixed weights. */
#include <stdint.h>

#include "arm_nnfunctions.h"

static const int8_t kWeights[16] = {3, -1, 4, 1, -5, 9, 2, -6, 5, 3, -5, 8, 9, -7, 9, 3};

static int8_t saturate(int32_t v) {
  return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
}

int32_t arm_nn_mat_mult_kernel_s8_s16(const int8_t* a, const int8_t* b, int32_t n) {
  int32_t acc = 0;
  for (int32_t i = 0; i < n; ++i) acc += (int32_t)a[i] * b[i & 15];
  return acc;
}

int32_t arm_convolve_s8(const int8_t* in, int8_t* out, int32_t size) {
  for (int32_t o = 0; o < size; ++o) {
    out[o] = saturate(arm_nn_mat_mult_kernel_s8_s16(in + (o & 7), kWeights, 16) >> 6);
  }
  return 0;
}

int32_t arm_depthwise_conv_s8(const int8_t* in, int8_t* out, int32_t size) {
  for (int32_t o = 0; o < size; ++o) {
    int32_t acc = 0;
    for (int32_t k = 0; k < 9; ++k) acc += (int32_t)in[(o + k) % size] * kWeights[k];
    out[o] = saturate(acc >> 4);
  }
  return 0;
}

int32_t arm_fully_connected_s8(const int8_t* in, int8_t* out, int32_t size) {
  for (int32_t o = 0; o < 8; ++o) {
    int32_t acc = 0;
    for (int32_t i = 0; i < size; ++i) acc += (int32_t)in[i] * kWeights[(i + o) & 15];
    out[o] = saturate(acc >> 8);
  }
  return 0;
}

int32_t arm_avgpool_s8(const int8_t* in, int8_t* out, int32_t size) {
  for (int32_t o = 0; o < size / 4; ++o) {
    out[o] = (int8_t)(((int32_t)in[4 * o] + in[4 * o + 1] + in[4 * o + 2] + in[4 * o + 3]) / 4);
  }
  return 0;
}

int32_t arm_softmax_s8(const int8_t* in, int8_t* out, int32_t size) {
  int32_t max = -128;
  for (int32_t i = 0; i < size; ++i) max = in[i] > max ? in[i] : max;
  for (int32_t i = 0; i < size; ++i) out[i] = saturate((in[i] - max) / 2);
  return 0;
}

int32_t arm_elementwise_add_s8(const int8_t* a, const int8_t* b, int8_t* out, int32_t size) {
  for (int32_t i = 0; i < size; ++i) out[i] = saturate((int32_t)a[i] + b[i]);
  return 0;
}
