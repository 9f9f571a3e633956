/* Prints through ITM stimulus port 0 only, the way CMSIS ITM_SendChar does (byte stores after
 * checking that the ITM and the port are enabled). */
#include <stdint.h>

#define ITM_PORT0_U8 (*(volatile uint8_t*)0xE0000000u)
#define ITM_TER (*(volatile uint32_t*)0xE0000E00u)
#define ITM_TCR (*(volatile uint32_t*)0xE0000E80u)

static void itm_putc(char c) {
  if ((ITM_TCR & 1u) && (ITM_TER & 1u)) {
    while ((*(volatile uint32_t*)0xE0000000u) == 0u) {
    }
    ITM_PORT0_U8 = (uint8_t)c;
  }
}

int main(void) {
  for (const char* s = "hello over ITM\n"; *s; ++s) itm_putc(*s);
  return 0;
}
