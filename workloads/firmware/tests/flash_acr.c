/* The STM32F4 flash interface as firmware configures it: with "art-off" on the command line it
 * clears FLASH_ACR's PRFTEN/ICEN/DCEN (RM0383 3.8.1), keeping the latency start-up code set,
 * then runs a loop-heavy CRC over a buffer. */
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"

#define FLASH_ACR (*(volatile uint32_t*)0x40023C00u)

static uint8_t buffer[1024];

__attribute__((noinline)) static uint32_t crc32(const uint8_t* data, uint32_t length) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < length; ++i) {
    crc ^= data[i];
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
  }
  return ~crc;
}

int main(void) {
  if (test_streq(test_cmdline(), "art-off")) FLASH_ACR &= ~((1u << 8) | (1u << 9) | (1u << 10));
  for (uint32_t i = 0; i < sizeof buffer; ++i) buffer[i] = (uint8_t)(i * 7u);
  printf("acr %08lx crc %08lx\n", (unsigned long)FLASH_ACR,
         (unsigned long)crc32(buffer, sizeof buffer));
  return 0;
}
