/* newlib system calls over semihosting: stdout/stderr go to the debug console, the heap is
 * the linker-sized .heap section, and no host files are reachable (the simulator refuses). */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include "tinysim/semihosting.h"

extern char __heap_start[], __heap_end[];

static int32_t console_handle = -1;

int _write(int fd, const char* buf, int len) {
  if (fd != 1 && fd != 2) {
    errno = EBADF;
    return -1;
  }
  if (console_handle < 0) {
    const uint32_t open_args[3] = {(uint32_t)(uintptr_t) ":tt", 4 /* "w" */, 3};
    console_handle = ts_semihost(TS_SYS_OPEN, open_args);
  }
  const uint32_t args[3] = {(uint32_t)console_handle, (uint32_t)(uintptr_t)buf, (uint32_t)len};
  const int32_t not_written = ts_semihost(TS_SYS_WRITE, args);
  return len - not_written;
}

int _read(int fd, char* buf, int len) {
  (void)fd, (void)buf, (void)len;
  return 0;
}

void* _sbrk(int increment) {
  static char* brk = __heap_start;
  if (increment > __heap_end - brk || increment < __heap_start - brk) {
    errno = ENOMEM;
    return (void*)-1;
  }
  char* previous = brk;
  brk += increment;
  return previous;
}

int _close(int fd) {
  (void)fd;
  return -1;
}
int _fstat(int fd, struct stat* st) {
  (void)fd;
  st->st_mode = S_IFCHR;
  return 0;
}
int _isatty(int fd) {
  return fd >= 0 && fd <= 2;
}
int _lseek(int fd, int offset, int whence) {
  (void)fd, (void)offset, (void)whence;
  return 0;
}
void _exit(int code) {
  ts_exit(code);
}
int _kill(int pid, int sig) {
  (void)pid;
  ts_exit(128 + sig);
}
int _getpid(void) {
  return 1;
}
