/* Reads the firmware's command line (semihosting SYS_GET_CMDLINE) for the test firmware. */
#ifndef TINYSIM_TEST_CMDLINE_H
#define TINYSIM_TEST_CMDLINE_H

#include <stdint.h>

#include "tinysim/semihosting.h"

static inline const char* test_cmdline(void) {
  static char buffer[128];
  uint32_t args[2] = {(uint32_t)(uintptr_t)buffer, sizeof buffer};
  if (ts_semihost(0x15 /* SYS_GET_CMDLINE */, args) != 0) buffer[0] = 0;
  return buffer;
}

static inline int test_streq(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

static inline int test_atoi(const char* s) {
  int v = 0, sign = 1;
  if (*s == '-') sign = -1, ++s;
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  return sign * v;
}

#endif
