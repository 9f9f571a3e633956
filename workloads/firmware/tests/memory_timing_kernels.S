/* The code whose fetch timing tests/sim/memory_timing_test.cpp predicts: three position-independent
 * kernels (no literal pools, only PC-relative branches), so the same bytes run from flash and,
 * copied by memory_timing.c, from SRAM and TCM. ARMv7-M (Thumb-2) only.
 *
 * Layout (offsets from mt_kernels_start, which is 1 KiB aligned): each kernel starts 0x40 bytes
 * into its own 1 KiB page, so a kernel never shares a flash line (16 B on STM32F4, 32 B on
 * STM32F7/H7) with other code, is never the line after the caller's (no prefetch of it), and
 * stays inside one Unicorn translation page (one block for a straight line).
 *   +0x040 mt_straight16: 128 x ADDS r0, #1 (Thumb-16, 1 cycle each), BX LR      258 bytes
 *   +0x440 mt_straight32:  64 x ADD.W r0, r0, #1 (Thumb-32, 1 cycle each), BX LR  258 bytes
 *   +0x840 mt_loop:       r0 = iterations; per iteration 124 x ADDS r1, #1, SUBS r0, #1,
 *                         BNE.W back (254 bytes); then BX LR
 *   +0xC40 mt_load:       r0 = address, r1 = words: LDR r2, [r0], #4; SUBS; BNE; BX LR
 * mt_call (in .text): calls r0 with r1 as its argument after a spin inside one 16-byte line, so
 * the flash is idle (no prefetch in flight) when the kernel's first fetch happens. */
  .syntax unified
  .thumb

  .section .text.mt_kernels, "ax", %progbits
  .balign 1024
  .global mt_kernels_start
mt_kernels_start:
  .space 0x40, 0

  .global mt_straight16
  .type mt_straight16, %function
  .thumb_func
mt_straight16:
  .rept 128
  adds r0, #1
  .endr
  bx lr
  .size mt_straight16, . - mt_straight16

  .balign 1024, 0
  .space 0x40, 0
  .global mt_straight32
  .type mt_straight32, %function
  .thumb_func
mt_straight32:
  .rept 64
  add.w r0, r0, #1
  .endr
  bx lr
  .size mt_straight32, . - mt_straight32

  .balign 1024, 0
  .space 0x40, 0
  .global mt_loop
  .type mt_loop, %function
  .thumb_func
mt_loop:
1:
  .rept 124
  adds r1, #1
  .endr
  subs r0, #1
  bne.w 1b
  bx lr
  .size mt_loop, . - mt_loop

  .balign 1024, 0
  .space 0x40, 0
  .global mt_load
  .type mt_load, %function
  .thumb_func
mt_load:
  ldr r2, [r0], #4
  subs r1, #1
  bne mt_load
  bx lr
  .size mt_load, . - mt_load

  .balign 16, 0
  .global mt_kernels_end
mt_kernels_end:

  .text
  .balign 16
  .global mt_call
  .type mt_call, %function
  .thumb_func
mt_call:                 /* r0 = kernel address | 1, r1 = its argument (r0) */
  push {r4, lr}
  mov r4, r0
  mov r0, r1
  movs r2, #16
2:
  subs r2, #1
  bne 2b
  blx r4
  pop {r4, pc}
  .size mt_call, . - mt_call
