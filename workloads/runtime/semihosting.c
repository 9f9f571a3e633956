/* Semihosting helpers shared by the start-up code and the newlib system calls. */
#include "tinysim/semihosting.h"

void ts_puts(const char* s) {
  ts_semihost(TS_SYS_WRITE0, s);
}

void ts_exit(int code) {
  const uint32_t block[2] = {TS_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
  for (;;) ts_semihost(TS_SYS_EXIT_EXTENDED, block);
}
