/* Known stack depths, arena writes and heap use for the profiler's memory tests.
 *   operator 0 "deep_stack":    a function with a 1024-byte local array, every byte written
 *   operator 1 "shallow_stack": the same with 256 bytes (less than operator 0: its peak is an
 *                               upper bound, not exact)
 *   operator 2 "deeper_stack":  2048 bytes
 *   operator 3 "write_arena":   writes exactly 1000 bytes of prof_arena (4096 bytes) with values
 *                               that differ from what was there
 *   operator 4 "use_heap":      malloc(600), every byte written
 * No printf (it would allocate from the heap). */
#include <stdint.h>
#include <stdlib.h>

#include "tinysim/markers.h"
#include "tinysim/semihosting.h"

TINYSIM_OP_INFO(op0, 0, "STACK", "deep_stack", 0);
TINYSIM_OP_INFO(op1, 1, "STACK", "shallow_stack", 0);
TINYSIM_OP_INFO(op2, 2, "STACK", "deeper_stack", 0);
TINYSIM_OP_INFO(op3, 3, "ARENA", "write_arena", 0);
TINYSIM_OP_INFO(op4, 4, "HEAP", "use_heap", 0);

static int8_t prof_arena[4096] __attribute__((aligned(16)));
volatile uint32_t sink;

#define STACK_USER(name, bytes)                                       \
  __attribute__((noinline)) static uint32_t name(uint32_t seed) {    \
    volatile uint8_t buffer[bytes];                                   \
    for (uint32_t i = 0; i < (bytes); ++i) buffer[i] = (uint8_t)(seed + i); \
    uint32_t sum = 0;                                                 \
    for (uint32_t i = 0; i < (bytes); i += 64) sum += buffer[i];      \
    return sum;                                                       \
  }
STACK_USER(use_1024, 1024)
STACK_USER(use_256, 256)
STACK_USER(use_2048, 2048)

__attribute__((noinline)) static void write_arena(int8_t* arena, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) arena[i] = (int8_t)(1 + (i % 100));
}

int main(void) {
  TINYSIM_OP_BEGIN(0);
  sink = use_1024(1);
  TINYSIM_OP_END(0);
  TINYSIM_OP_BEGIN(1);
  sink = use_256(2);
  TINYSIM_OP_END(1);
  TINYSIM_OP_BEGIN(2);
  sink = use_2048(3);
  TINYSIM_OP_END(2);
  TINYSIM_OP_BEGIN(3);
  write_arena(prof_arena + 100, 1000);
  TINYSIM_OP_END(3);
  TINYSIM_OP_BEGIN(4);
  uint8_t* p = malloc(600);
  for (uint32_t i = 0; i < 600 && p; ++i) p[i] = (uint8_t)(i | 1u);
  sink = p ? p[599] : 0;
  TINYSIM_OP_END(4);
  sink = (uint32_t)prof_arena[150];
  return p ? 0 : 1;
}
