/* Three operators marked with the tinysim marker protocol, for the regression gate and compare
 * tests (tests/profiler/workflows_test.cpp, tests/cli/workflows_cli_test.cpp):
 *   0 CONV_2D           conv_2d_0            spin(800)
 *   1 DEPTHWISE_CONV_2D depthwise_conv_2d_1  spin(400 + GATE_EXTRA_ITERATIONS)
 *   2 FULLY_CONNECTED   fully_connected_2    spin(200)
 * Built twice: prof-gate (no extra work) and prof-gate-slower (GATE_EXTRA_ITERATIONS=100, one
 * operator a quarter slower, the others unchanged), for the m0plus, m4f and m7f variants. */
#include <stdint.h>

#include "tinysim/markers.h"

#ifndef GATE_EXTRA_ITERATIONS
#define GATE_EXTRA_ITERATIONS 0
#endif

TINYSIM_OP_INFO(op0, 0, "CONV_2D", "conv_2d_0", 800);
TINYSIM_OP_INFO(op1, 1, "DEPTHWISE_CONV_2D", "depthwise_conv_2d_1", 400);
TINYSIM_OP_INFO(op2, 2, "FULLY_CONNECTED", "fully_connected_2", 200);

volatile uint32_t sink;

__attribute__((noinline)) static uint32_t spin(uint32_t n) {
  uint32_t acc = 1;
  for (uint32_t i = 0; i < n; ++i) {
    acc = acc * 3u + i;
    __asm__ volatile("" : "+r"(acc));
  }
  return acc;
}

int main(void) {
  TINYSIM_OP_BEGIN(0);
  sink = spin(800);
  TINYSIM_OP_END(0);
  TINYSIM_OP_BEGIN(1);
  sink = spin(400 + GATE_EXTRA_ITERATIONS);
  TINYSIM_OP_END(1);
  TINYSIM_OP_BEGIN(2);
  sink = spin(200);
  TINYSIM_OP_END(2);
  return 0;
}
