/* The bundled default workload until the model firmware exists: says hello through semihosting
 * (newlib printf) and through ITM port 0, computes a checksum, and exits with status 0. */
#include <stdint.h>
#include <stdio.h>

static void itm_puts(const char* s) {
  volatile uint8_t* const port0 = (volatile uint8_t*)0xE0000000u;
  while (*s) *port0 = (uint8_t)*s++;
}

int main(void) {
  printf("hello from tinysim firmware\n");
  itm_puts("hello over ITM\n");
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < 1000; ++i) {
    crc ^= i;
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
  }
  printf("checksum %08lx\n", (unsigned long)~crc);
  return 0;
}
