/* No markers: operators come from function-name rules. Functions named like CMSIS-NN kernels
 * (stand-ins: small loops, not the real kernels) are called by model_invoke(), which the
 * built-in inference rule ("*_invoke") recognises; it runs twice, so each operator has two
 * executions:
 *   position 0 CONV_2D           arm_convolve_s8 (calling a helper, arm_nn_mat_mult_kernel_s8_s16)
 *   position 1 DEPTHWISE_CONV_2D arm_depthwise_conv_3x3_s8
 *   position 2 FULLY_CONNECTED   arm_fully_connected_s8
 *   position 3 SOFTMAX           arm_softmax_s8
 * then my_custom_op(), an operator only with a user rule (tests/profiler/custom_rules.toml). */
#include <stdint.h>

volatile uint32_t sink;

static uint32_t spin(uint32_t n, uint32_t seed) {
  uint32_t acc = seed;
  for (uint32_t i = 0; i < n; ++i) {
    acc = acc * 3u + i;
    __asm__ volatile("" : "+r"(acc));
  }
  return acc;
}

__attribute__((noinline)) uint32_t arm_nn_mat_mult_kernel_s8_s16(uint32_t n) { return spin(n, 7); }
__attribute__((noinline)) uint32_t arm_convolve_s8(uint32_t n) {
  return arm_nn_mat_mult_kernel_s8_s16(n) + spin(n / 4, 1);
}
__attribute__((noinline)) uint32_t arm_depthwise_conv_3x3_s8(uint32_t n) { return spin(n, 2); }
__attribute__((noinline)) uint32_t arm_fully_connected_s8(uint32_t n) { return spin(n, 3); }
__attribute__((noinline)) uint32_t arm_softmax_s8(uint32_t n) { return spin(n, 4); }
__attribute__((noinline)) uint32_t my_custom_op(uint32_t n) { return spin(n, 5); }

__attribute__((noinline)) void model_invoke(void) {
  sink = arm_convolve_s8(400);
  sink = arm_depthwise_conv_3x3_s8(200);
  sink = arm_fully_connected_s8(100);
  sink = arm_softmax_s8(50);
  sink = my_custom_op(30);
}

int main(void) {
  model_invoke();
  model_invoke();
  return 0;
}
