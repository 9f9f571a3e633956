/* Known call structure for the profiler's attribution tests (tests/profiler).
 *
 * With N = the command line's number (default 10), the firmware makes exactly:
 *   operator 0 "leaf_loop": N calls of leaf()
 *   operator 1 "call_tree": per iteration one middle() (two leaf() calls), one tail_caller()
 *     (which tail-calls tail_target(): a branch, not a call), one recurse(4) (five recurse()
 *     activations, then one leaf()), one leaf() through a function pointer (BLX), one SVC.
 * so leaf() is called 5N times, middle() N, tail_caller() N, tail_target() N, recurse() 5N and
 * SVC_Handler N times. Then, outside the operators, measured() runs once between two reads of
 * DWT.CYCCNT (ARMv7-M and later) and prints "measured_cycles <delta>". */
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"
#include "tinysim/markers.h"

TINYSIM_OP_INFO(op_leaf, 0, "LEAF", "leaf_loop", 100);
TINYSIM_OP_INFO(op_tree, 1, "TREE", "call_tree", 0);

volatile uint32_t sink;
volatile uint32_t svc_count;

void SVC_Handler(void) { svc_count = svc_count + 1; }

__attribute__((noinline)) uint32_t leaf(uint32_t n) {
  uint32_t acc = 0;
  for (uint32_t i = 0; i < n; ++i) {
    acc += i * 3u;
    __asm__ volatile("" : "+r"(acc));
  }
  return acc;
}

__attribute__((noinline)) uint32_t middle(uint32_t n) {
  const uint32_t a = leaf(n);
  const uint32_t b = leaf(n + 1);
  return a ^ b;
}

__attribute__((noinline)) uint32_t tail_target(uint32_t n) {
  uint32_t acc = 1;
  for (uint32_t i = 0; i < n; ++i) {
    acc = acc * 5u + i;
    __asm__ volatile("" : "+r"(acc));
  }
  return acc;
}

/* -O2 compiles the call as a tail call: `b tail_target`. */
__attribute__((noinline)) uint32_t tail_caller(uint32_t n) {
  return tail_target(n * 2u + sink);
}

__attribute__((noinline)) uint32_t recurse(uint32_t depth) {
  if (depth == 0) return leaf(1);
  const uint32_t r = recurse(depth - 1);
  __asm__ volatile("" ::: "memory");
  return r + depth;
}

__attribute__((noinline)) uint32_t measured(uint32_t n) {
  return middle(n) + tail_target(n);
}

uint32_t (*volatile indirect)(uint32_t) = leaf;

#define DEMCR (*(volatile uint32_t*)0xE000EDFCu)
#define DWT_CTRL (*(volatile uint32_t*)0xE0001000u)
#define DWT_CYCCNT (*(volatile uint32_t*)0xE0001004u)

int main(void) {
  int n = test_atoi(test_cmdline());
  if (n <= 0) n = 10;

  TINYSIM_OP_BEGIN(0);
  for (int i = 0; i < n; ++i) sink = leaf(20);
  TINYSIM_OP_END(0);

  TINYSIM_OP_BEGIN(1);
  for (int i = 0; i < n; ++i) {
    sink = middle(10);
    sink = tail_caller(5);
    sink = recurse(4);
    sink = indirect(3);
    __asm__ volatile("svc #0" ::: "memory");
  }
  TINYSIM_OP_END(1);

#if __ARM_ARCH >= 7
  DEMCR |= 1u << 24; /* TRCENA */
  DWT_CTRL |= 1u;    /* CYCCNTENA */
  const uint32_t start = DWT_CYCCNT;
  sink = measured(7);
  const uint32_t end = DWT_CYCCNT;
  printf("measured_cycles %lu\n", (unsigned long)(end - start));
#else
  sink = measured(7);
#endif
  printf("svc %lu\n", (unsigned long)svc_count);
  return 0;
}
