/* Produces the fault named on its command line, so each fault report can be checked. */
#include <stdint.h>

#include "cmdline.h"

#define SCB_CCR (*(volatile uint32_t*)0xE000ED14u)

__attribute__((noinline)) static uint32_t load(volatile uint32_t* p) {
  return *p;
}
__attribute__((noinline)) static void store(volatile uint32_t* p, uint32_t v) {
  *p = v;
}

int main(void) {
  const char* kind = test_cmdline();
  if (test_streq(kind, "bus-read")) return (int)load((volatile uint32_t*)0x70000000u);
  if (test_streq(kind, "bus-write")) store((volatile uint32_t*)0x70000000u, 1);
  if (test_streq(kind, "flash-write")) store((volatile uint32_t*)0x00000100u, 1);
  if (test_streq(kind, "undefined")) __asm__ volatile("udf #0");
  if (test_streq(kind, "unaligned")) {
    /* ARMv6-M faults on any unaligned word access (no trap bit needed). */
    static volatile uint32_t words[2];
    return (int)load((volatile uint32_t*)((uintptr_t)words + 1));
  }
#if __ARM_ARCH >= 7
  if (test_streq(kind, "divide-by-zero")) {
    SCB_CCR |= 1u << 4; /* DIV_0_TRP */
    volatile int zero = 0;
    return 100 / zero;
  }
#endif
  if (test_streq(kind, "execute-peripheral")) ((void (*)(void))0x40000001u)();
  if (test_streq(kind, "bad-exc-return")) {
    __asm__ volatile("ldr r0, =0xFFFFFFF9\n\tbx r0" ::: "r0");
  }
  if (test_streq(kind, "breakpoint")) __asm__ volatile("bkpt #1");
  if (test_streq(kind, "endless")) {
    for (;;) {
    }
  }
  if (test_streq(kind, "sleep-forever")) {
    for (;;) __asm__ volatile("wfi");
  }
  if (test_streq(kind, "reset")) {
    *(volatile uint32_t*)0xE000ED0Cu = 0x05FA0004u; /* AIRCR.SYSRESETREQ */
    for (;;) {
    }
  }
  if (test_streq(kind, "refused-open")) {
    const uint32_t args[3] = {(uint32_t)(uintptr_t) "/etc/passwd", 0, 11};
    return ts_semihost(0x01, args) == -1 ? 0 : 1;
  }
  if (test_streq(kind, "peripheral")) {
    store((volatile uint32_t*)0x40023830u, 1); /* e.g. RCC->AHB1ENR on STM32F4 */
    return (int)load((volatile uint32_t*)0x40023830u);
  }
  return 0;
}
