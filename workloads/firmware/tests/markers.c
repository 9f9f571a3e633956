/* Two operators marked with the tinysim marker protocol, with table entries, around loops of
 * different lengths; an SVC inside the second. */
#include <stdint.h>

#include "tinysim/markers.h"

TINYSIM_OP_INFO(op0, 0, "CONV_2D", "conv_small", 1000);
TINYSIM_OP_INFO(op1, 1, "FULLY_CONNECTED", "fc_large", 5000);

void SVC_Handler(void) {}

__attribute__((noinline)) static uint32_t spin(uint32_t n) {
  volatile uint32_t acc = 0;
  for (uint32_t i = 0; i < n; ++i) acc += i;
  return acc;
}

int main(void) {
  TINYSIM_OP_BEGIN(0);
  spin(100);
  TINYSIM_OP_END(0);
  TINYSIM_OP_BEGIN(1);
  spin(500);
  __asm__ volatile("svc #0");
  TINYSIM_OP_END(1);
  return 0;
}
