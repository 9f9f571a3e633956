/* SVC: the handler reads the SVC number from the instruction and rewrites the stacked r0,
 * as an RTOS system call does. Exits 0 when the call returned number + argument. */
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
      "ldrb r1, [r1]\n\t"        /* the SVC immediate */
      "ldr r2, [r0]\n\t"         /* stacked r0 */
      "adds r2, r2, r1\n\t"
      "str r2, [r0]\n\t"
      "bx lr\n");
}

static uint32_t svc_add7(uint32_t x) {
  register uint32_t r0 __asm__("r0") = x;
  __asm__ volatile("svc #7" : "+r"(r0)::"r1", "r2", "memory");
  return r0;
}

int main(void) { return svc_add7(35) == 42 ? 0 : 1; }
