/* DWT.CYCCNT around a fixed instruction sequence, measured twice as on silicon (the first pass
 * warms caches there; here it lets tinysim instrument the measuring block). Prints the second
 * delta. The sequence: the first LDR, MOVS, then 100 x (SUBS, BNE). */
#include <stdint.h>
#include <stdio.h>

#define DEMCR (*(volatile uint32_t*)0xE000EDFCu)
#define DWT_CTRL (*(volatile uint32_t*)0xE0001000u)
#define DWT_CYCCNT_ADDRESS 0xE0001004u

static uint32_t measure(void) {
  uint32_t start, end;
  __asm__ volatile(
      ".syntax unified\n\t"
      "ldr %0, [%2]\n\t"
      "movs r0, #100\n"
      "1: subs r0, #1\n\t"
      "bne 1b\n\t"
      "ldr %1, [%2]\n\t"
      : "=&r"(start), "=&r"(end)
      : "r"(DWT_CYCCNT_ADDRESS)
      : "r0", "cc", "memory");
  return end - start;
}

int main(void) {
  DEMCR |= 1u << 24; /* TRCENA */
  DWT_CTRL |= 1u;    /* CYCCNTENA */
  measure();
  printf("cyccnt delta %lu\n", (unsigned long)measure());
  return 0;
}
