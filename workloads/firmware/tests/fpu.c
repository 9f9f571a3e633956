/* Uses the FPU after the start-up code enabled it through CPACR; checks CPACR reads back. */
#include <stdint.h>
#include <stdio.h>

#define SCB_CPACR (*(volatile uint32_t*)0xE000ED88u)

__attribute__((noinline)) static float dot(const float* a, const float* b, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

int main(void) {
  static const float a[4] = {1.5f, -2.0f, 0.25f, 4.0f};
  static const float b[4] = {2.0f, 0.5f, 8.0f, -1.0f};
  const float d = dot(a, b, 4); /* 3 - 1 + 2 - 4 = 0 ... plus 1: */
  const float r = d + 1.0f;
  printf("cpacr %08lx dot+1 %d\n", (unsigned long)SCB_CPACR, (int)(r * 1000.0f));
  return ((SCB_CPACR >> 20) & 0xF) == 0xF && r == 1.0f ? 0 : 1;
}
