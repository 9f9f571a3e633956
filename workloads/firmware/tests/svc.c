/* SVC: the handler reads the SVC number from the instruction and rewrites the stacked r0,
 * as an RTOS system call does, first from the main stack, then from the process stack.
 * Exits 0 when both calls returned number + argument and SP stayed on the right stack. */
#include <stdint.h>

__attribute__((naked)) void SVC_Handler(void) {
  __asm__ volatile(
      ".syntax unified\n\t"
      "movs r0, #4\n\t"
      "mov r1, lr\n\t"
      "tst r0, r1\n\t"
      "beq 1f\n\t"
      "mrs r0, psp\n\t"
      "b 2f\n"
      "1: mrs r0, msp\n"
      "2: ldr r1, [r0, #24]\n\t" /* stacked PC: the instruction after SVC */
      "subs r1, r1, #2\n\t"
      "ldrb r1, [r1]\n\t" /* the SVC immediate */
      "ldr r2, [r0]\n\t"  /* stacked r0 */
      "adds r2, r2, r1\n\t"
      "str r2, [r0]\n\t"
      "bx lr\n");
}

static uint32_t svc_add7(uint32_t x) {
  register uint32_t r0 __asm__("r0") = x;
  __asm__ volatile("svc #7" : "+r"(r0)::"r1", "r2", "memory");
  return r0;
}

/* Thread mode on the process stack (CONTROL.SPSEL = 1), as an RTOS task runs. */
static uint32_t process_stack[64] __attribute__((aligned(8)));

int main(void) {
  if (svc_add7(35) != 42) return 1;
  const uint32_t psp = (uint32_t)(uintptr_t)&process_stack[64];
  __asm__ volatile(
      ".syntax unified\n\t"
      "msr psp, %0\n\t"
      "movs r1, #2\n\t"
      "msr control, r1\n\t"
      "isb" ::"r"(psp)
      : "r1", "memory");
  const uint32_t result = svc_add7(100);
  uint32_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  /* Back on the main stack before returning through the start-up code. */
  __asm__ volatile(".syntax unified\n\tmovs r1, #0\n\tmsr control, r1\n\tisb" ::: "r1", "memory");
  if (result != 107) return 2;
  return sp > (uint32_t)(uintptr_t)process_stack && sp <= psp ? 0 : 3;
}
