@ Instruction sequences with documented cycle counts, one per timing rule.
@
@ Each SEQ is a self-contained snippet: the unit tests (cpu_model_timing_test.cpp) decode it and
@ run it through a core model; the same snippets are meant to become firmware micro-benchmarks
@ (timed with DWT.CYCCNT on the simulator and on silicon). The expected counts and their sources
@ are in the table in cpu_model_timing_test.cpp, keyed by the SEQ name.
@
@ Branches that leave a snippet go to a label just past its end, so "taken" and "not taken"
@ reach different addresses.
@
@ Layout: SEQ writes a header {magic "TSEQ", code length, name} and aligns the code to 8 bytes,
@ so in-snippet alignment directives mean the same thing at the test's load address.
@ Assembled with -mcpu=cortex-m7 -mfpu=fpv5-d16: the Thumb-1 snippets for the M0/M0+ use only
@ flag-setting (16-bit) forms.

        .syntax unified
        .thumb
        .text

        .macro SEQ name
        .balign 8
        .word 0x51455354
        .word .L\name\()_end - .L\name\()_start
        .asciz "\name"
        .balign 8
.L\name\()_start:
        .endm

        .macro ENDSEQ name
.L\name\()_end:
        .endm

@ ---------------------------------------------------------------- Thumb-1 (all cores) ------
SEQ alu4
        adds r0, r1
        subs r2, #1
        lsls r3, r4, #2
        movs r5, r6
ENDSEQ alu4

SEQ ldr_ldr_narrow
        ldr r0, [r1]
        ldr r2, [r3]
ENDSEQ ldr_ldr_narrow

SEQ ldr_use_narrow
        ldr r0, [r1]
        adds r2, r0, #1
ENDSEQ ldr_use_narrow

SEQ push5
        push {r4, r5, r6, r7, lr}
ENDSEQ push5

SEQ pop5_pc
        pop {r4, r5, r6, r7, pc}
ENDSEQ pop5_pc

SEQ ldm3_narrow
        ldmia r0!, {r1, r2, r3}
ENDSEQ ldm3_narrow

SEQ cmp_beq
        cmp r0, #0
        beq 1f
ENDSEQ cmp_beq
        nop
1:

SEQ b_narrow
        b 1f
ENDSEQ b_narrow
        nop
1:

SEQ bl_call
        bl 1f
ENDSEQ bl_call
        nop
1:

SEQ bx_lr
        bx lr
ENDSEQ bx_lr

SEQ muls_narrow
        muls r0, r1, r0
ENDSEQ muls_narrow

SEQ mrs_primask
        mrs r0, primask
ENDSEQ mrs_primask

SEQ dsb_only
        dsb
ENDSEQ dsb_only

SEQ mov_pc
        mov pc, lr
ENDSEQ mov_pc

@ ---------------------------------------------------------------- ARMv7-M load/store -------
SEQ trm_ldr_ldr
        ldr r0, [r1]
        ldr r1, [r2]
ENDSEQ trm_ldr_ldr

SEQ trm_ldr_str
        ldr r0, [r1, r2]
        str r0, [r3, #20]
ENDSEQ trm_ldr_str

SEQ trm_ldr_str_regoffset
        ldr r0, [r1, r2]
        str r1, [r3, r2]
ENDSEQ trm_ldr_str_regoffset

SEQ trm_ldr_ldr_ldr
        ldr r0, [r1, r5]
        ldr r1, [r2]
        ldr r2, [r4]
ENDSEQ trm_ldr_ldr_ldr

SEQ ldr_dependent_address
        ldr r1, [r0]
        ldr r2, [r1]
ENDSEQ ldr_dependent_address

SEQ alu_then_ldr_address
        adds r1, #4
        ldr r0, [r1]
ENDSEQ alu_then_ldr_address

SEQ alu_then_ldr_other
        adds r2, #4
        ldr r0, [r1]
ENDSEQ alu_then_ldr_other

SEQ str_str_imm
        str r0, [r1]
        str r2, [r3, #4]
ENDSEQ str_str_imm

SEQ str_then_ldr
        str r0, [r1]
        ldr r2, [r3]
ENDSEQ str_then_ldr

SEQ str_regoffset_alu
        str r0, [r1, r2]
        adds r3, #1
ENDSEQ str_regoffset_alu

SEQ ldr_postinc_chain
        ldr r2, [r0], #4
        ldr r3, [r1], #4
ENDSEQ ldr_postinc_chain

SEQ ldm4
        ldm r0, {r1, r2, r3, r4}
ENDSEQ ldm4

SEQ pop2_pc
        pop {r4, pc}
ENDSEQ pop2_pc

SEQ ldrd_strd
        ldrd r0, r1, [r2]
        strd r0, r1, [r3]
ENDSEQ ldrd_strd

SEQ ldr_pc
        ldr pc, [r0]
ENDSEQ ldr_pc

SEQ tbb_table
        tbb [pc, r0]
ENDSEQ tbb_table

SEQ b_wide_unaligned_target
        b 1f
        nop
        .balign 4
        nop
1:      add.w r0, r1, r2
ENDSEQ b_wide_unaligned_target

SEQ b_wide_aligned_target
        b 1f
        nop
        .balign 4
1:      add.w r0, r1, r2
ENDSEQ b_wide_aligned_target

SEQ cbz_fwd
        cbz r0, 1f
ENDSEQ cbz_fwd
        nop
1:

SEQ it_after_narrow
        adds r0, r1
        it eq
        moveq r2, r3
ENDSEQ it_after_narrow

SEQ it_after_wide
        add.w r0, r1, r2
        it eq
        moveq r2, r3
ENDSEQ it_after_wide

SEQ mul_mla
        mul r0, r1, r2
        mla r3, r4, r5, r3
ENDSEQ mul_mla

SEQ umull_one
        umull r0, r1, r2, r3
ENDSEQ umull_one

SEQ smlal_one
        smlal r0, r1, r2, r3
ENDSEQ smlal_one

SEQ sdiv_one
        sdiv r0, r1, r2
ENDSEQ sdiv_one

@ ---------------------------------------------------------------- Cortex-M4 FPU -----------
SEQ vadd_indep
        vadd.f32 s0, s1, s2
        vadd.f32 s3, s4, s5
ENDSEQ vadd_indep

SEQ vadd_dep
        vadd.f32 s0, s1, s2
        vadd.f32 s3, s0, s4
ENDSEQ vadd_dep

SEQ vadd_gap_dep
        vadd.f32 s0, s1, s2
        adds r0, r1
        vadd.f32 s3, s0, s4
ENDSEQ vadd_gap_dep

SEQ vmla_one
        vmla.f32 s0, s1, s2
ENDSEQ vmla_one

SEQ vmla_chain
        vmla.f32 s0, s1, s2
        vmla.f32 s0, s3, s4
ENDSEQ vmla_chain

SEQ vfma_chain_spaced
        vfma.f32 s0, s1, s2
        mov r10, r10
        mov r10, r10
        vfma.f32 s0, s1, s0
ENDSEQ vfma_chain_spaced

SEQ vldr_32_64
        vldr s0, [r0]
        vldr d1, [r0, #8]
ENDSEQ vldr_32_64

SEQ vpush_s4
        vpush {s16-s19}
ENDSEQ vpush_s4

SEQ vpush_d2
        vpush {d8-d9}
ENDSEQ vpush_d2

SEQ vmov_core
        vmov r0, s0
ENDSEQ vmov_core

SEQ vdiv_then_int_then_vadd
        vdiv.f32 s0, s1, s2
        adds r0, r1
        adds r2, r3
        vadd.f32 s3, s4, s5
ENDSEQ vdiv_then_int_then_vadd

SEQ vdiv_then_use
        vdiv.f32 s0, s1, s2
        vadd.f32 s3, s0, s4
ENDSEQ vdiv_then_use

SEQ vcmp_vmrs
        vcmp.f32 s0, s1
        vmrs APSR_nzcv, fpscr
ENDSEQ vcmp_vmrs

@ ---------------------------------------------------------------- Cortex-M7 ----------------
SEQ m7_loop_add4
1:      add.w r1, r1, #1
        add.w r2, r2, #1
        add.w r3, r3, #1
        add.w r4, r4, #1
        subs r0, #1
        bne 1b
ENDSEQ m7_loop_add4

SEQ m7_add_pair
        add.w r1, r1, #1
        add.w r2, r2, #1
ENDSEQ m7_add_pair

SEQ m7_shifted_pair
        add.w r1, r2, r3, lsl #2
        add.w r4, r5, r6, lsl #2
ENDSEQ m7_shifted_pair

SEQ m7_shifted_plain
        add.w r1, r2, r3, lsl #2
        add.w r4, r5, r6
ENDSEQ m7_shifted_plain

SEQ m7_bitfield_pair
        uxtb r1, r2
        uxtb r3, r4
ENDSEQ m7_bitfield_pair

SEQ m7_mul_pair
        mul r1, r2, r3
        mul r4, r5, r6
ENDSEQ m7_mul_pair

SEQ m7_mul_add
        mul r1, r2, r3
        add.w r4, r5, r6
ENDSEQ m7_mul_add

SEQ m7_mul_use
        mul r1, r2, r3
        add.w r4, r1, r6
ENDSEQ m7_mul_use

SEQ m7_mla_acc_chain
        mla r0, r1, r2, r0
        mla r0, r3, r4, r0
ENDSEQ m7_mla_acc_chain

SEQ m7_ldr_use
        ldr.w r1, [r0]
        add.w r2, r1, #1
ENDSEQ m7_ldr_use

SEQ m7_ldrb_use
        ldrb.w r1, [r0]
        add.w r2, r1, #1
ENDSEQ m7_ldrb_use

SEQ m7_ldr_ldr_banks
        ldr.w r1, [r0]
        ldr.w r2, [r0, #4]
ENDSEQ m7_ldr_ldr_banks

SEQ m7_ldr_ldr_samebank
        ldr.w r1, [r0]
        ldr.w r2, [r0, #8]
ENDSEQ m7_ldr_ldr_samebank

SEQ m7_ldr_str
        ldr.w r1, [r0]
        str.w r2, [r3]
ENDSEQ m7_ldr_str

SEQ m7_str_str
        str.w r1, [r0]
        str.w r2, [r3]
ENDSEQ m7_str_str

SEQ m7_ldm4
        ldm r0, {r1, r2, r3, r4}
ENDSEQ m7_ldm4

SEQ m7_vadd_dep
        vadd.f32 s0, s1, s2
        vadd.f32 s3, s0, s4
ENDSEQ m7_vadd_dep

SEQ m7_vfma_acc
        vfma.f32 s0, s1, s2
        vfma.f32 s0, s3, s4
ENDSEQ m7_vfma_acc

SEQ m7_vmla_mul_dep
        vmla.f32 s0, s1, s2
        vmul.f32 s3, s0, s4
ENDSEQ m7_vmla_mul_dep

SEQ m7_vdiv
        vdiv.f32 s0, s1, s2
ENDSEQ m7_vdiv

SEQ m7_cold_beq_late_flags
        cmp r0, r0
        beq 1f
ENDSEQ m7_cold_beq_late_flags
        nop
1:

SEQ m7_cold_beq_early_flags
        cmp r0, r0
        add.w r1, r1, #1
        add.w r2, r2, #1
        add.w r3, r3, #1
        add.w r4, r4, #1
        add.w r5, r5, #1
        add.w r6, r6, #1
        beq 1f
ENDSEQ m7_cold_beq_early_flags
        nop
1:

@ ---------------------------------------------------------------- Cortex-M33 ---------------
SEQ m33_loop_subs_bne
1:      subs r7, #1
        bne 1b
ENDSEQ m33_loop_subs_bne

SEQ m33_loop_subs_add_bne
1:      subs r7, #1
        add r0, r1
        bne 1b
ENDSEQ m33_loop_subs_add_bne

SEQ m33_adds_beq
        adds r3, r4
        beq 1f
ENDSEQ m33_adds_beq
        nop
1:

SEQ m33_ldr_use
        ldr r0, [r1]
        adds r2, r0, #1
ENDSEQ m33_ldr_use

SEQ m33_ldr_str
        ldr r0, [r1]
        str r0, [r2]
ENDSEQ m33_ldr_str

SEQ m33_mla_chain
        mla r0, r1, r2, r0
        mla r0, r3, r4, r0
ENDSEQ m33_mla_chain

SEQ m33_mul_use
        mul r0, r1, r2
        add.w r3, r0, #1
ENDSEQ m33_mul_use

SEQ m33_shifted_use
        add.w r0, r1, r2, lsl #2
        add.w r3, r0, #1
ENDSEQ m33_shifted_use

SEQ m33_ldrd
        ldrd r0, r1, [r2]
ENDSEQ m33_ldrd

SEQ m33_ldm4
        ldm r0, {r1, r2, r3, r4}
ENDSEQ m33_ldm4

SEQ m33_adds_nop
        adds r0, r1
        nop
ENDSEQ m33_adds_nop

SEQ m33_vfma_back_to_back
        vfma.f32 s0, s1, s2
        vfma.f32 s3, s4, s5
ENDSEQ m33_vfma_back_to_back

@ ---------------------------------------------------------------- decoder checks -----------
SEQ decode_mix
        ldr r0, [r1, #-4]
        ldr.w r0, [r1], #4
        ldr.w r0, [r1, r2, lsl #2]
        ldrb r3, [r1, #1]
        str r0, [r1, r2]
        ldr r0, [pc, #8]
        push {r4, r5, r6, r7, lr}
        pop {r4, r5, r6, r7, pc}
        ldmia r0!, {r1, r2, r3}
        umull r0, r1, r2, r3
        smlal r4, r5, r6, r7
        mla r0, r1, r2, r3
        sdiv r0, r1, r2
        add.w r0, r1, r2, lsl #3
        uxtb r0, r1
        smlad r0, r1, r2, r3
        eor r0, r1, #0x1fc0
        eor r0, r1, #0x00ab00ab
        strex r2, r0, [r1]
        tbb [pc, r0]
ENDSEQ decode_mix

SEQ decode_branches
        cbz r0, 1f
        beq 1f
        b 1f
        bl 1f
        blx r3
        bx lr
        mov pc, lr
1:      ldr pc, [sp], #4
ENDSEQ decode_branches

SEQ decode_it
        adds r0, r1
        ite ne
        movne r2, #1
        addeq r2, r3
        adds r4, r5
ENDSEQ decode_it

SEQ decode_fp
        vadd.f32 s0, s1, s2
        vmla.f32 s0, s1, s2
        vfma.f32 s0, s1, s2
        vldr s0, [r0, #8]
        vldr d0, [r0]
        vpush {s16-s19}
        vmov r0, s0
        vmov s1, r1
        vmov.f32 s0, #1.0
        vmov r0, r1, d0
        vmov.32 r0, d0[1]
        vmrs APSR_nzcv, fpscr
        vdiv.f32 s0, s1, s2
        vsqrt.f32 s3, s4
        vadd.f64 d0, d1, d2
        vstmia r0!, {d0-d1}
        vcmp.f32 s0, s1
ENDSEQ decode_fp

SEQ decode_system
        dmb
        wfi
        mrs r0, primask
        msr primask, r0
        cpsid i
        svc #0
        bkpt #0xab
        nop
ENDSEQ decode_system

SEQ decode_undefined
        nop
        .short 0xde00
        .word 0xffffffff
        nop
ENDSEQ decode_undefined
