/* Micro-benchmarks: the documented instruction sequences of tests/cpu_models/timing_sequences.S,
 * each timed inside the core with its own cycle counter, the way one measures silicon.
 * docs/microbenchmarks.md describes the method; main.c runs the benchmarks and prints the counts.
 *
 * Timer: DWT.CYCCNT (0xE0001004, counts up) on ARMv7-M and ARMv8-M; SysTick's current value
 * (0xE000E018, counts down from 0xFFFFFF, core clock) on ARMv6-M, which has no CYCCNT.
 *
 * Every benchmark is a function mb_<name>(a0, a1, a2, a3) returning one timer delta:
 *
 *     BENCH    save registers, timer base address into a register
 *     (setup)  pointers and operand values the sequence needs, from the arguments or mb_buf
 *     T0       ISB (a fixed pipeline state), first timer read, separator A
 *     (the sequence, copied verbatim from timing_sequences.S, starting 8-byte aligned as there)
 *     T1       separator B, second timer read
 *     DONE     delta of the two reads, return
 *
 * mb_empty is T0 immediately followed by T1: main.c subtracts its delta (the measurement
 * overhead: the first read and the two separators) from every other benchmark's.
 *
 * Not in timing_sequences.S: udiv_one/udiv_cold (UDIV with operand values), m7_loop_early_flags
 * (the loop exit with early flags), and the exception benchmark at the end.
 *
 * Separators (the reads' own pipelining must not interact with the sequence):
 *   M0/M0+  none: ARMv6-M has no pipelining between instructions (fixed costs, no load-to-use
 *           stall; jnk0le cortex_m0.md), so nothing to separate.
 *   M3/M4   A = CMP.W r8, r8 and B = CMP r8, r8: not a load (a sequence's first LDR must not
 *           pipeline with the T0 read, TRM 3.3.2), writes no register (no address-dependency
 *           stall), and, unlike a NOP, is not "eaten" by a preceding load or register-offset
 *           store on silicon (jnk0le cortex_m3m4.md), so a sequence ending in a load keeps its
 *           cost. B is 16-bit so that as a branch target it costs no alignment refill.
 *   M7      A = B = NOP.W (jnk0le's CM7 template): A takes the younger slot of the T0 read, so
 *           the sequence starts a new issue group; B closes the sequence's last issue group (or
 *           pairs with the T1 read), so T1 issues in the cycle after the sequence's last one.
 *   M33     A = B = NOP.W (jnk0le's CM33 template): a 32-bit NOP never pairs (only two 16-bit
 *           instructions dual issue), so it neither hides nor extends a 16-bit sequence.
 *
 * Branches that leave a sequence go to `1f`: a second copy of T1 (word aligned, after an
 * unconditional branch that skips it on the fall-through path), so taken and not-taken
 * executions are timed with identical reads. BX LR, MOV PC, POP {PC}, LDR PC and TBB get
 * prepared targets (LR, a stack frame, a word in mb_buf, a table).
 */
        .syntax unified
        .thumb

#ifndef MB_CORE
#error "MB_CORE must be 0 (M0), 1 (M0+), 3, 4, 7 or 33"
#endif
#define MB_V6M (MB_CORE == 0 || MB_CORE == 1)
#define MB_FPU (MB_CORE == 4 || MB_CORE == 7 || MB_CORE == 33)

        .equ SYST_BASE, 0xE000E010      @ SYST_CVR at +8
        .equ DWT_BASE, 0xE0001000       @ DWT_CYCCNT at +4
        .equ ICSR, 0xE000ED04
        .equ ICSR_PENDSVSET, 1 << 28
        .equ ICSR_PENDSTSET, 1 << 26

@ ------------------------------------------------------------------------------ harness ------

        .macro SEP_A
#if MB_CORE == 3 || MB_CORE == 4
        cmp.w r8, r8
#elif !MB_V6M
        nop.w
#endif
        .endm

        .macro SEP_B
#if MB_CORE == 3 || MB_CORE == 4
        cmp r8, r8
#elif !MB_V6M
        nop.w
#endif
        .endm

@ ARMv6-M: `base` holds SYST_BASE and `t0` receives the first read; both must survive the
@ sequence (defaults r7, r6). ARMv7-M/v8-M: r12 = DWT_BASE, T0 in r8, T1 in r9 (the
@ sequences never touch r8, r9, r12); the arguments are ignored there.
        .macro BENCH name, base=r7
        .section .text.mb_\name, "ax", %progbits
        .global mb_\name
        .type mb_\name, %function
        .balign 8
mb_\name:
#if MB_V6M
        push {r4-r7, lr}
        ldr \base, =SYST_BASE
#else
        push {r4-r12, lr}
        ldr r12, =DWT_BASE
#endif
        .endm

        .macro T0 base=r7, t0=r6
        .balign 8
#if MB_V6M
        nop
        isb                             @ 8k+2
        ldr \t0, [\base, #8]            @ 8k+6: SYST_CVR
#else
        nop.w
        isb                             @ 8k+4
        ldr.w r8, [r12, #4]             @ 8k+8: DWT_CYCCNT
        SEP_A                           @ 8k+12
#endif
        @ the sequence starts here, 8-byte aligned as in timing_sequences.S
        .endm

        .macro T1 base=r7
#if MB_V6M
        ldr \base, [\base, #8]
#else
        SEP_B
        ldr.w r9, [r12, #4]
#endif
        .endm

        .macro DONE base=r7, t0=r6
#if MB_V6M
        subs r0, \t0, \base             @ SysTick counts down
        lsls r0, r0, #8                 @ 24-bit counter
        lsrs r0, r0, #8
        pop {r4-r7, pc}
#else
        sub r0, r9, r8
        pop {r4-r12, pc}
#endif
        .endm

@ After a sequence that ends in a conditional branch to 1f: the not-taken path reads T1 and
@ skips the taken path's copy of the read.
        .macro T1_BRANCH_TAIL base=r7, t0=r6
        T1 \base
        b 2f
        .balign 4
1:      T1 \base
2:      DONE \base, \t0
        .endm

@ A target reached only by a branch: word aligned, then T1.
        .macro TARGET_TAIL label, base=r7, t0=r6
        .balign 4
\label:
        T1 \base
        DONE \base, \t0
        .endm

        .macro LOAD_BUF reg, offset=0
        ldr \reg, =mb_buf + \offset
        .endm

@ ------------------------------------------------------------------------------ data ---------
        .section .bss.mb_buf, "aw", %nobits
        .balign 8
        .global mb_buf
mb_buf: .space 64

        .section .data.mb_ptrcell, "aw", %progbits
        .balign 4
mb_ptrcell:
        .word mb_buf

@ ------------------------------------------------------------------------------ calibration --
BENCH empty
        T0
        T1
        DONE

@ ------------------------------------------------------------------------------ Thumb-1 ------
BENCH alu4
        T0
        adds r0, r1
        subs r2, #1
        lsls r3, r4, #2
        movs r5, r6
        T1
        DONE

BENCH ldr_ldr_narrow
        LOAD_BUF r1
        LOAD_BUF r3, 8
        T0
        ldr r0, [r1]
        ldr r2, [r3]
        T1
        DONE

BENCH ldr_use_narrow
        LOAD_BUF r1
        T0
        ldr r0, [r1]
        adds r2, r0, #1
        T1
        DONE

BENCH push5
        T0
        push {r4, r5, r6, r7, lr}
        T1
        add sp, #20
        DONE

@ POP {r4-r7, PC} from a prepared frame {r0, r1, r2, r3, target}. On ARMv6-M the timer base
@ and T0 live in r3 and r2 there, since the POP overwrites r4-r7.
BENCH pop5_pc, r3
        ldr r4, =.Lpop5_pc_target + 1
        push {r0, r1, r2, r3, r4}
        T0 r3, r2
        pop {r4, r5, r6, r7, pc}
        TARGET_TAIL .Lpop5_pc_target, r3, r2

BENCH ldm3_narrow
        LOAD_BUF r0
        T0
        ldmia r0!, {r1, r2, r3}
        T1
        DONE

BENCH cmp_beq                           @ taken when a0 == 0
        T0
        cmp r0, #0
        beq 1f
        T1_BRANCH_TAIL

BENCH b_narrow
        T0
        b 1f
        nop
        TARGET_TAIL 1

BENCH bl_call
        T0
        bl 1f
        nop
        TARGET_TAIL 1

BENCH bx_lr
        ldr r0, =.Lbx_lr_target + 1
        mov lr, r0
        T0
        bx lr
        TARGET_TAIL .Lbx_lr_target

BENCH mov_pc
        ldr r0, =.Lmov_pc_target + 1
        mov lr, r0
        T0
        mov pc, lr
        TARGET_TAIL .Lmov_pc_target

BENCH muls_narrow
        T0
        muls r0, r1, r0
        T1
        DONE

BENCH mrs_primask
        T0
        mrs r0, primask
        T1
        DONE

BENCH dsb_only
        T0
        dsb
        T1
        DONE

#if !MB_V6M
@ ------------------------------------------------------------------------------ ARMv7-M ------
BENCH trm_ldr_ldr
        LOAD_BUF r1
        LOAD_BUF r2, 4
        T0
        ldr r0, [r1]
        ldr r1, [r2]
        T1
        DONE

BENCH trm_ldr_str
        LOAD_BUF r1
        movs r2, #0
        LOAD_BUF r3
        T0
        ldr r0, [r1, r2]
        str r0, [r3, #20]
        T1
        DONE

BENCH trm_ldr_str_regoffset
        LOAD_BUF r1
        movs r2, #0
        LOAD_BUF r3, 32
        T0
        ldr r0, [r1, r2]
        str r1, [r3, r2]
        T1
        DONE

BENCH trm_ldr_ldr_ldr
        LOAD_BUF r1
        LOAD_BUF r2, 4
        LOAD_BUF r4, 8
        movs r5, #0
        T0
        ldr r0, [r1, r5]
        ldr r1, [r2]
        ldr r2, [r4]
        T1
        DONE

BENCH ldr_dependent_address
        ldr r0, =mb_ptrcell             @ holds &mb_buf
        T0
        ldr r1, [r0]
        ldr r2, [r1]
        T1
        DONE

BENCH alu_then_ldr_address
        LOAD_BUF r1
        T0
        adds r1, #4
        ldr r0, [r1]
        T1
        DONE

BENCH alu_then_ldr_other
        LOAD_BUF r1
        T0
        adds r2, #4
        ldr r0, [r1]
        T1
        DONE

BENCH str_str_imm
        LOAD_BUF r1
        LOAD_BUF r3, 16
        T0
        str r0, [r1]
        str r2, [r3, #4]
        T1
        DONE

BENCH str_then_ldr
        LOAD_BUF r1
        LOAD_BUF r3, 16
        T0
        str r0, [r1]
        ldr r2, [r3]
        T1
        DONE

BENCH str_regoffset_alu
        LOAD_BUF r1
        movs r2, #0
        T0
        str r0, [r1, r2]
        adds r3, #1
        T1
        DONE

BENCH ldr_postinc_chain
        LOAD_BUF r0
        LOAD_BUF r1, 32
        T0
        ldr r2, [r0], #4
        ldr r3, [r1], #4
        T1
        DONE

BENCH ldm4
        LOAD_BUF r0
        T0
        ldm r0, {r1, r2, r3, r4}
        T1
        DONE

BENCH pop2_pc                           @ POP {r4, PC} from a prepared frame {r1, target}
        ldr r2, =.Lpop2_pc_target + 1
        push {r1, r2}
        T0
        pop {r4, pc}
        TARGET_TAIL .Lpop2_pc_target

BENCH ldrd_strd
        LOAD_BUF r2
        LOAD_BUF r3, 16
        T0
        ldrd r0, r1, [r2]
        strd r0, r1, [r3]
        T1
        DONE

BENCH ldr_pc                            @ the target address is in mb_buf[0]
        LOAD_BUF r0
        ldr r1, =.Lldr_pc_target + 1
        str r1, [r0]
        T0
        ldr pc, [r0]
        TARGET_TAIL .Lldr_pc_target

BENCH tbb_table                         @ index 0 of a byte table right after the TBB
        movs r0, #0
        T0
        tbb [pc, r0]
.Ltbb_table:
        .byte (.Ltbb_target - .Ltbb_table) / 2
        .byte 0
        TARGET_TAIL .Ltbb_target

@ The branch targets lie inside these two sequences (on a word boundary or a halfword one).
BENCH b_wide_unaligned_target
        T0
        b 1f
        nop
        .balign 4
        nop
1:      add.w r0, r1, r2
        T1
        DONE

BENCH b_wide_aligned_target
        T0
        b 1f
        nop
        .balign 4
1:      add.w r0, r1, r2
        T1
        DONE

BENCH cbz_fwd                           @ taken when a0 == 0
        T0
        cbz r0, 1f
        T1_BRANCH_TAIL

BENCH it_after_narrow
        T0
        adds r0, r1
        it eq
        moveq r2, r3
        T1
        DONE

BENCH it_after_wide
        T0
        add.w r0, r1, r2
        it eq
        moveq r2, r3
        T1
        DONE

BENCH mul_mla
        T0
        mul r0, r1, r2
        mla r3, r4, r5, r3
        T1
        DONE

@ Operand-dependent costs: a0 goes to Rn, a1 to Rm (the divisor) as in the sequences.
BENCH umull_one
        mov r3, r1
        mov r2, r0
        T0
        umull r0, r1, r2, r3
        T1
        DONE

BENCH smlal_one
        mov r3, r1
        mov r2, r0
        T0
        smlal r0, r1, r2, r3
        T1
        DONE

BENCH sdiv_one
        mov r2, r1
        mov r1, r0
        T0
        sdiv r0, r1, r2
        T1
        DONE

BENCH udiv_one
        mov r2, r1
        mov r1, r0
        T0
        udiv r0, r1, r2
        T1
        DONE

@ The same, timed on its first execution only (main.c): the reads are exact from the start
@ since the block's only data accesses are the two CYCCNT reads.
BENCH udiv_cold
        mov r2, r1
        mov r1, r0
        T0
        udiv r0, r1, r2
        T1
        DONE
#endif /* !MB_V6M */

#if MB_CORE == 4
@ ------------------------------------------------------------------------------ Cortex-M4 FPU
BENCH vadd_indep
        T0
        vadd.f32 s0, s1, s2
        vadd.f32 s3, s4, s5
        T1
        DONE

BENCH vadd_dep
        T0
        vadd.f32 s0, s1, s2
        vadd.f32 s3, s0, s4
        T1
        DONE

BENCH vadd_gap_dep
        T0
        vadd.f32 s0, s1, s2
        adds r0, r1
        vadd.f32 s3, s0, s4
        T1
        DONE

BENCH vmla_one
        T0
        vmla.f32 s0, s1, s2
        T1
        DONE

BENCH vmla_chain
        T0
        vmla.f32 s0, s1, s2
        vmla.f32 s0, s3, s4
        T1
        DONE

BENCH vfma_chain_spaced
        T0
        vfma.f32 s0, s1, s2
        mov r10, r10
        mov r10, r10
        vfma.f32 s0, s1, s0
        T1
        DONE

BENCH vldr_32_64
        LOAD_BUF r0
        T0
        vldr s0, [r0]
        vldr d1, [r0, #8]
        T1
        DONE

BENCH vpush_s4
        T0
        vpush {s16-s19}
        T1
        add sp, #16
        DONE

BENCH vpush_d2
        T0
        vpush {d8-d9}
        T1
        add sp, #16
        DONE

BENCH vmov_core
        T0
        vmov r0, s0
        T1
        DONE

BENCH vdiv_then_int_then_vadd
        T0
        vdiv.f32 s0, s1, s2
        adds r0, r1
        adds r2, r3
        vadd.f32 s3, s4, s5
        T1
        DONE

BENCH vdiv_then_use
        T0
        vdiv.f32 s0, s1, s2
        vadd.f32 s3, s0, s4
        T1
        DONE
#endif /* MB_CORE == 4 */

#if MB_CORE == 7
@ ------------------------------------------------------------------------------ Cortex-M7 ----
BENCH m7_loop_add4                      @ a0 = iterations
        T0
1:      add.w r1, r1, #1
        add.w r2, r2, #1
        add.w r3, r3, #1
        add.w r4, r4, #1
        subs r0, #1
        bne 1b
        T1
        DONE

@ The same loop body with the flag-setting SUBS issued 3 cycles before the BNE (jnk0le's own
@ M7 template places it so): the exit mispredict costs 6 instead of 8.
BENCH m7_loop_early_flags               @ a0 = iterations
        T0
1:      subs.w r0, r0, #1
        add.w r1, r1, #1
        add.w r2, r2, #1
        add.w r3, r3, #1
        add.w r4, r4, #1
        add.w r5, r5, #1
        add.w r6, r6, #1
        bne 1b
        T1
        DONE

BENCH m7_add_pair
        T0
        add.w r1, r1, #1
        add.w r2, r2, #1
        T1
        DONE

BENCH m7_shifted_pair
        T0
        add.w r1, r2, r3, lsl #2
        add.w r4, r5, r6, lsl #2
        T1
        DONE

BENCH m7_shifted_plain
        T0
        add.w r1, r2, r3, lsl #2
        add.w r4, r5, r6
        T1
        DONE

BENCH m7_bitfield_pair
        T0
        uxtb r1, r2
        uxtb r3, r4
        T1
        DONE

BENCH m7_mul_pair
        T0
        mul r1, r2, r3
        mul r4, r5, r6
        T1
        DONE

BENCH m7_mul_add
        T0
        mul r1, r2, r3
        add.w r4, r5, r6
        T1
        DONE

BENCH m7_mul_use
        T0
        mul r1, r2, r3
        add.w r4, r1, r6
        T1
        DONE

BENCH m7_mla_acc_chain
        T0
        mla r0, r1, r2, r0
        mla r0, r3, r4, r0
        T1
        DONE

BENCH m7_ldr_use
        LOAD_BUF r0
        T0
        ldr.w r1, [r0]
        add.w r2, r1, #1
        T1
        DONE

BENCH m7_ldrb_use
        LOAD_BUF r0
        T0
        ldrb.w r1, [r0]
        add.w r2, r1, #1
        T1
        DONE

BENCH m7_ldr_ldr_banks
        LOAD_BUF r0
        T0
        ldr.w r1, [r0]
        ldr.w r2, [r0, #4]
        T1
        DONE

BENCH m7_ldr_ldr_samebank
        LOAD_BUF r0
        T0
        ldr.w r1, [r0]
        ldr.w r2, [r0, #8]
        T1
        DONE

BENCH m7_ldr_str
        LOAD_BUF r0
        LOAD_BUF r3, 32
        T0
        ldr.w r1, [r0]
        str.w r2, [r3]
        T1
        DONE

BENCH m7_str_str
        LOAD_BUF r0
        LOAD_BUF r3, 32
        T0
        str.w r1, [r0]
        str.w r2, [r3]
        T1
        DONE

BENCH m7_ldm4
        LOAD_BUF r0
        T0
        ldm r0, {r1, r2, r3, r4}
        T1
        DONE

BENCH m7_vadd_dep
        T0
        vadd.f32 s0, s1, s2
        vadd.f32 s3, s0, s4
        T1
        DONE

BENCH m7_vfma_acc
        T0
        vfma.f32 s0, s1, s2
        vfma.f32 s0, s3, s4
        T1
        DONE

BENCH m7_vmla_mul_dep
        T0
        vmla.f32 s0, s1, s2
        vmul.f32 s3, s0, s4
        T1
        DONE

BENCH m7_vdiv
        T0
        vdiv.f32 s0, s1, s2
        T1
        DONE

@ Cold, then warm: the same always-taken branch timed twice in a row, the first time with no
@ predictor entry (its first execution in the run: predicted not taken, mispredicted), the
@ second time predicted taken. out[0] = cold delta, out[1] = warm delta (a0 = out).
        .macro COLD_WARM name
BENCH \name
        mov r10, r0                     @ out (r10, r11: not used by the sequences)
        mov r11, #2
3:      T0
        .ifc \name, m7_cold_beq_late_flags
        cmp r0, r0
        beq 1f
        .else
        cmp r0, r0
        add.w r1, r1, #1
        add.w r2, r2, #1
        add.w r3, r3, #1
        add.w r4, r4, #1
        add.w r5, r5, #1
        add.w r6, r6, #1
        beq 1f
        .endif
        T1
        b 2f
        .balign 4
1:      T1
2:      sub r0, r9, r8
        str r0, [r10], #4
        subs r11, #1
        bne 3b
        pop {r4-r12, pc}
        .endm

        COLD_WARM m7_cold_beq_late_flags
        COLD_WARM m7_cold_beq_early_flags
#endif /* MB_CORE == 7 */

#if MB_CORE == 33
@ ------------------------------------------------------------------------------ Cortex-M33 ---
BENCH m33_loop_subs_bne                 @ a0 = iterations
        mov r7, r0
        T0
1:      subs r7, #1
        bne 1b
        T1
        DONE

BENCH m33_loop_subs_add_bne             @ a0 = iterations
        mov r7, r0
        T0
1:      subs r7, #1
        add r0, r1
        bne 1b
        T1
        DONE

BENCH m33_adds_beq                      @ taken when a0 == 0
        mov r3, r0
        movs r4, #0
        T0
        adds r3, r4
        beq 1f
        T1_BRANCH_TAIL

BENCH m33_ldr_use
        LOAD_BUF r1
        T0
        ldr r0, [r1]
        adds r2, r0, #1
        T1
        DONE

BENCH m33_ldr_str
        LOAD_BUF r1
        LOAD_BUF r2, 32
        T0
        ldr r0, [r1]
        str r0, [r2]
        T1
        DONE

BENCH m33_mla_chain
        T0
        mla r0, r1, r2, r0
        mla r0, r3, r4, r0
        T1
        DONE

BENCH m33_mul_use
        T0
        mul r0, r1, r2
        add.w r3, r0, #1
        T1
        DONE

BENCH m33_shifted_use
        T0
        add.w r0, r1, r2, lsl #2
        add.w r3, r0, #1
        T1
        DONE

BENCH m33_ldrd
        LOAD_BUF r2
        T0
        ldrd r0, r1, [r2]
        T1
        DONE

BENCH m33_ldm4
        LOAD_BUF r0
        T0
        ldm r0, {r1, r2, r3, r4}
        T1
        DONE

BENCH m33_adds_nop
        T0
        adds r0, r1
        nop
        T1
        DONE

BENCH m33_vfma_back_to_back
        T0
        vfma.f32 s0, s1, s2
        vfma.f32 s3, s4, s5
        T1
        DONE
#endif /* MB_CORE == 33 */

@ ------------------------------------------------------------------------------ exceptions ---
@ void mb_exception(uint32_t thread_icsr, uint32_t handler_icsr, uint32_t fp_context,
@                   uint32_t out[5])
@ The thread writes `thread_icsr` to ICSR (PENDSVSET, or 0: no exception) then an ISB, after
@ which a pended PendSV is taken. PendSV_Handler's first instruction reads the timer (T1); it
@ writes `handler_icsr` to ICSR (PENDSTSET: SysTick pends, and is tail-chained when PendSV
@ returns, since both have the same priority; or 0), reads the timer (T2) and returns. A
@ tail-chained SysTick_Handler's first instruction reads the timer (T4). The thread reads the
@ timer right after the ISB (T3: after the return, or with no exception just after the ISB).
@ out = {T3, T0, T1, T2, T4}; main.c turns them into latencies:
@   entry      = (T1 - T0) with PendSV  - (T3 - T0) without (the same code, no exception)
@   return     = (T3 - T2) with PendSV  - (T3 - T2) of mb_call_return (an ordinary BX LR)
@   tail chain = (T4 - T2) with SysTick - (T3 - T2) of mb_call_return
@ `fp_context` (FP cores): nonzero executes an FP instruction first, so CONTROL.FPCA is set and
@ the exception stacks an FP frame; zero clears FPCA.
        .section .text.mb_exception, "ax", %progbits
        .global mb_exception
        .type mb_exception, %function
        .balign 8
mb_exception:
#if MB_V6M
        push {r4-r7, lr}
        mov r4, r8
        push {r4}
        mov r8, r3                      @ out
        mov r2, r1                      @ the handler's ICSR value (r0-r3 keep their values
        ldr r1, =ICSR                   @ on exception entry)
        ldr r3, =SYST_BASE
        movs r5, #0
        movs r6, #0
        movs r7, #0
        .balign 8
        nop
        isb
        ldr r4, [r3, #8]                @ T0
        str r0, [r1]                    @ pend PendSV, or nothing
        isb                             @ a pended PendSV is taken before the next instruction
        ldr r0, [r3, #8]                @ T3
        mov r1, r8
        stmia r1!, {r0, r4, r5, r6, r7}
        pop {r4}
        mov r8, r4
        pop {r4-r7, pc}
#else
        push {r4-r12, lr}
        mov r5, r3                      @ out
        mov r6, r1                      @ the handler's ICSR value
        ldr r1, =ICSR
        ldr r12, =DWT_BASE
        movs r9, #0
        movs r10, #0
        movs r11, #0
#if MB_FPU
        mrs r4, control
        bic r4, r4, #4                  @ FPCA = 0: no FP context
        msr control, r4
        isb
        cbz r2, 1f
        vmov s0, r2                     @ an FP instruction sets FPCA: an FP context to stack
1:
#endif
        .balign 8
        nop.w
        isb
        ldr.w r8, [r12, #4]             @ T0
        SEP_A
        str r0, [r1]                    @ pend PendSV, or nothing
        isb                             @ a pended PendSV is taken before the next instruction
        ldr.w r7, [r12, #4]             @ T3
        stmia r5, {r7, r8, r9, r10, r11}
        pop {r4-r12, pc}
#endif

        .global PendSV_Handler
        .type PendSV_Handler, %function
        .balign 4
PendSV_Handler:
#if MB_V6M
        ldr r5, [r3, #8]                @ T1: the handler's first instruction
        str r2, [r1]                    @ pend SysTick, or nothing
        ldr r6, [r3, #8]                @ T2
        bx lr
#else
        ldr.w r9, [r12, #4]             @ T1: the handler's first instruction
        str r6, [r1]                    @ pend SysTick, or nothing
        ldr.w r10, [r12, #4]            @ T2 (M7: issues with the BX LR, as in mb_call_return)
        bx lr
#endif

        .global SysTick_Handler
        .type SysTick_Handler, %function
        .balign 4
SysTick_Handler:
#if MB_V6M
        ldr r7, [r3, #8]                @ T4: first instruction of the tail-chained handler
#else
        ldr.w r11, [r12, #4]            @ T4: first instruction of the tail-chained handler
#endif
        bx lr

@ void mb_call_return(uint32_t out[2]): the return calibration. An ordinary call to a function
@ shaped like the end of PendSV_Handler (read T2, BX LR); the caller reads T3 right after the
@ call. out = {T3, T2}. The BL is placed so that the return address is word aligned (no
@ alignment refill for a 32-bit instruction there).
        .section .text.mb_call_return, "ax", %progbits
        .global mb_call_return
        .type mb_call_return, %function
        .balign 8
mb_call_return:
#if MB_V6M
        push {r4-r7, lr}
        mov r4, r0
        ldr r3, =SYST_BASE
        .balign 4
        bl .Lfake_handler
        ldr r0, [r3, #8]                @ T3
        str r0, [r4]
        str r6, [r4, #4]
        pop {r4-r7, pc}
        .balign 4
.Lfake_handler:
        ldr r6, [r3, #8]                @ T2
        bx lr
#else
        push {r4-r12, lr}
        mov r5, r0
        ldr r12, =DWT_BASE
        .balign 4
        bl .Lfake_handler
        ldr.w r7, [r12, #4]             @ T3
        str r7, [r5]
        str r10, [r5, #4]
        pop {r4-r12, pc}
        .balign 4
.Lfake_handler:
        ldr.w r10, [r12, #4]            @ T2
        bx lr
#endif
