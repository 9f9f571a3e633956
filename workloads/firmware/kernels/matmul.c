/* Classic kernel: 32x32 int32 matrix multiply, repeated. Multiply-accumulate and load heavy.
 * Prints a checksum of the result. */
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"

#define N 32
static int32_t a[N][N], b[N][N], c[N][N];

__attribute__((noinline)) static void matmul(void) {
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      int32_t sum = 0;
      for (int k = 0; k < N; ++k) sum += a[i][k] * b[k][j];
      c[i][j] = sum;
    }
  }
}

int main(void) {
  const int arg = test_atoi(test_cmdline());
  const int repeats = arg > 0 ? arg : 4;
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      a[i][j] = (i * 7 + j * 3) % 17 - 8;
      b[i][j] = (i * 5 + j * 11) % 13 - 6;
    }
  }
  uint32_t checksum = 0;
  for (int r = 0; r < repeats; ++r) {
    matmul();
    for (int i = 0; i < N; ++i) checksum = checksum * 31u + (uint32_t)c[i][(i + r) % N];
  }
  printf("matmul %08lx\n", (unsigned long)checksum);
  return 0;
}
