/* Classic kernel: bitwise CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) over a 4 KiB
 * pseudo-random buffer, repeated. Branch- and shift-heavy, no multiplies. Prints the CRC. */
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"

static uint8_t buffer[4096];

__attribute__((noinline)) static uint32_t crc32(const uint8_t* data, uint32_t length) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < length; ++i) {
    crc ^= data[i];
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
  }
  return ~crc;
}

int main(void) {
  const int arg = test_atoi(test_cmdline());
  const int repeats = arg > 0 ? arg : 8;
  uint32_t x = 1;
  for (uint32_t i = 0; i < sizeof buffer; ++i) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    buffer[i] = (uint8_t)x;
  }
  uint32_t crc = 0;
  for (int r = 0; r < repeats; ++r) {
    buffer[r % sizeof buffer] ^= (uint8_t)crc; /* each pass depends on the previous one */
    crc = crc32(buffer, sizeof buffer);
  }
  printf("crc32 %08lx\n", (unsigned long)crc);
  return 0;
}
