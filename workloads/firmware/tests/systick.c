/* SysTick: a 1000-cycle tick counted in the handler, waited for with WFI, and a busy-wait
 * delay on the tick count (HAL_Delay style). Prints the tick count and exits 0 on success. */
#include <stdint.h>
#include <stdio.h>

#define SYST_CSR (*(volatile uint32_t*)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t*)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t*)0xE000E018u)

static volatile uint32_t ticks;

void SysTick_Handler(void) {
  ++ticks;
}

static void delay_ticks(uint32_t n) {
  const uint32_t start = ticks;
  while (ticks - start < n) {
  }
}

int main(void) {
  SYST_RVR = 999; /* period: 1000 core cycles */
  SYST_CVR = 0;
  SYST_CSR = 7; /* ENABLE | TICKINT | CLKSOURCE = core clock */
  while (ticks < 5) __asm__ volatile("wfi");
  delay_ticks(5);
  SYST_CSR = 0;
  printf("ticks %lu\n", (unsigned long)ticks);
  return ticks == 10 ? 0 : 1;
}
