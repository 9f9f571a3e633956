/* Arm semihosting calls used by tinysim's firmware (BKPT 0xAB, Thumb).
 *
 * The simulator implements the calls listed in docs/semihosting.md; silicon under a debugger
 * does too. Without a debugger attached a BKPT halts or faults the core, so firmware meant for
 * a board without one should not call these. */
#ifndef TINYSIM_SEMIHOSTING_H
#define TINYSIM_SEMIHOSTING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  TS_SYS_OPEN = 0x01,
  TS_SYS_CLOSE = 0x02,
  TS_SYS_WRITEC = 0x03,
  TS_SYS_WRITE0 = 0x04,
  TS_SYS_WRITE = 0x05,
  TS_SYS_CLOCK = 0x10,
  TS_SYS_TIME = 0x11,
  TS_SYS_EXIT = 0x18,
  TS_SYS_ELAPSED = 0x30,
  TS_SYS_TICKFREQ = 0x31,
  TS_SYS_EXIT_EXTENDED = 0x20,
};

/* ADP_Stopped_ApplicationExit: the reason code for a normal exit. */
#define TS_ADP_STOPPED_APPLICATION_EXIT 0x20026u

/* Performs semihosting operation `op` with parameter `arg`; returns r0. */
static inline int32_t ts_semihost(uint32_t op, const void* arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return (int32_t)r0;
}

/* Writes a NUL-terminated string to the debug console. */
void ts_puts(const char* s);
/* Ends the simulation with `code` as the firmware's exit status (SYS_EXIT_EXTENDED). */
__attribute__((noreturn)) void ts_exit(int code);

#ifdef __cplusplus
}
#endif
#endif
