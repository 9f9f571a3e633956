/* Semihosting time calls: SYS_ELAPSED (cycles), SYS_TICKFREQ (Hz), SYS_CLOCK (centiseconds)
 * and SYS_TIME (seconds), after a busy loop of known length. Prints them on one line. */
#include <stdint.h>
#include <stdio.h>

#include "tinysim/semihosting.h"

int main(void) {
  for (volatile uint32_t i = 0; i < 200000; ++i) {
  }
  uint32_t elapsed[2] = {0, 0};
  ts_semihost(TS_SYS_ELAPSED, elapsed);
  const int32_t freq = ts_semihost(TS_SYS_TICKFREQ, 0);
  const int32_t centiseconds = ts_semihost(TS_SYS_CLOCK, 0);
  const int32_t seconds = ts_semihost(TS_SYS_TIME, 0);
  printf("elapsed %lu freq %ld clock %ld time %ld\n", (unsigned long)elapsed[0], (long)freq,
         (long)centiseconds, (long)seconds);
  return 0;
}
