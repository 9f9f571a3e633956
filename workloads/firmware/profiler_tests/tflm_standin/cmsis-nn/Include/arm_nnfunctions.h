/* Stand-in (see ../../README.md): kernels with CMSIS-NN's function names, simplified argument
 * lists. Not CMSIS-NN's declarations. */
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int32_t arm_nn_mat_mult_kernel_s8_s16(const int8_t* a, const int8_t* b, int32_t n);
int32_t arm_convolve_s8(const int8_t* in, int8_t* out, int32_t size);
int32_t arm_depthwise_conv_s8(const int8_t* in, int8_t* out, int32_t size);
int32_t arm_fully_connected_s8(const int8_t* in, int8_t* out, int32_t size);
int32_t arm_avgpool_s8(const int8_t* in, int8_t* out, int32_t size);
int32_t arm_softmax_s8(const int8_t* in, int8_t* out, int32_t size);
int32_t arm_elementwise_add_s8(const int8_t* a, const int8_t* b, int8_t* out, int32_t size);

#ifdef __cplusplus
}
#endif
