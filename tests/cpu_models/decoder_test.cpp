// Decoder tests on known encodings: the decode_* sequences of timing_sequences.S, assembled by
// arm-none-eabi-as at build time, each instruction checked against the Arm ARM encoding.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "cpu_models/instruction.h"
#include "sequences.h"
#include "sim/decoder.h"

namespace tinysim::testing {
namespace {

using cpu_models::core_reg;
using cpu_models::fp_dreg;
using cpu_models::fp_sreg;
using cpu_models::InsnClass;
using cpu_models::Instruction;
using cpu_models::kFlags;
using cpu_models::kFpFlags;
using cpu_models::kLr;
using cpu_models::kNoReg;
using cpu_models::kPc;
using cpu_models::kSp;

std::vector<Instruction> decoded(std::string_view name) {
  return decode_sequence(sequence(name));
}

TEST(Decoder, LoadsStoresAndArithmetic) {
  const std::vector<Instruction> d = decoded("decode_mix");
  ASSERT_EQ(d.size(), 20u);
  const uint32_t base = sequence("decode_mix").address;
  EXPECT_EQ(d[0].address, base);

  // ldr r0, [r1, #-4] (T4, 32-bit)
  EXPECT_EQ(d[0].cls, InsnClass::kLoad);
  EXPECT_EQ(d[0].size_bytes, 4);
  EXPECT_EQ(d[0].address_base_reg, 1);
  EXPECT_EQ(d[0].address_index_reg, kNoReg);
  EXPECT_EQ(d[0].mem_offset, -4);
  EXPECT_EQ(d[0].access_bytes, 4);
  EXPECT_EQ(d[0].regs_written, core_reg(0));
  EXPECT_EQ(d[0].regs_address, core_reg(1));
  EXPECT_FALSE(d[0].writeback);
  // ldr.w r0, [r1], #4: post-indexed
  EXPECT_TRUE(d[1].writeback);
  EXPECT_EQ(d[1].regs_written, core_reg(0) | core_reg(1));
  EXPECT_EQ(d[1].mem_offset, 0);
  // ldr.w r0, [r1, r2, lsl #2]
  EXPECT_EQ(d[2].address_index_reg, 2);
  EXPECT_EQ(d[2].regs_address, core_reg(1) | core_reg(2));
  // ldrb r3, [r1, #1]
  EXPECT_EQ(d[3].size_bytes, 2);
  EXPECT_EQ(d[3].access_bytes, 1);
  EXPECT_EQ(d[3].mem_offset, 1);
  // str r0, [r1, r2]
  EXPECT_EQ(d[4].cls, InsnClass::kStore);
  EXPECT_EQ(d[4].regs_store_data, core_reg(0));
  EXPECT_EQ(d[4].regs_written, 0u);
  EXPECT_EQ(d[4].address_index_reg, 2);
  // ldr r0, [pc, #8]
  EXPECT_EQ(d[5].cls, InsnClass::kLoadLiteral);
  // push {r4-r7, lr}
  EXPECT_EQ(d[6].cls, InsnClass::kStoreMultiple);
  EXPECT_EQ(d[6].reg_count, 5);
  EXPECT_TRUE(d[6].writeback);
  EXPECT_EQ(d[6].address_base_reg, 13);
  EXPECT_EQ(d[6].regs_store_data, core_reg(4) | core_reg(5) | core_reg(6) | core_reg(7) | kLr);
  EXPECT_EQ(d[6].regs_written, kSp);
  // pop {r4-r7, pc}
  EXPECT_EQ(d[7].cls, InsnClass::kLoadMultiplePc);
  EXPECT_EQ(d[7].reg_count, 5);
  EXPECT_EQ(d[7].regs_written, core_reg(4) | core_reg(5) | core_reg(6) | core_reg(7) | kPc | kSp);
  EXPECT_TRUE(cpu_models::writes_pc(d[7]));
  // ldmia r0!, {r1, r2, r3}
  EXPECT_EQ(d[8].cls, InsnClass::kLoadMultiple);
  EXPECT_EQ(d[8].reg_count, 3);
  EXPECT_TRUE(d[8].writeback);
  EXPECT_EQ(d[8].regs_written, core_reg(0) | core_reg(1) | core_reg(2) | core_reg(3));
  // umull r0, r1, r2, r3
  EXPECT_EQ(d[9].cls, InsnClass::kLongMul);
  EXPECT_EQ(d[9].value_reg_a, 2);
  EXPECT_EQ(d[9].value_reg_b, 3);
  EXPECT_FALSE(d[9].signed_operands);
  EXPECT_EQ(d[9].regs_written, core_reg(0) | core_reg(1));
  // smlal r4, r5, r6, r7: RdLo/RdHi are accumulators
  EXPECT_EQ(d[10].cls, InsnClass::kLongMulAcc);
  EXPECT_EQ(d[10].regs_accumulate, core_reg(4) | core_reg(5));
  EXPECT_EQ(d[10].regs_read & 0xffff, core_reg(4) | core_reg(5) | core_reg(6) | core_reg(7));
  EXPECT_TRUE(d[10].signed_operands);
  // mla r0, r1, r2, r3
  EXPECT_EQ(d[11].cls, InsnClass::kMulAcc);
  EXPECT_EQ(d[11].regs_accumulate, core_reg(3));
  // sdiv r0, r1, r2
  EXPECT_EQ(d[12].cls, InsnClass::kDiv);
  EXPECT_EQ(d[12].value_reg_a, 1);
  EXPECT_EQ(d[12].value_reg_b, 2);
  EXPECT_TRUE(d[12].signed_operands);
  // add.w r0, r1, r2, lsl #3
  EXPECT_EQ(d[13].cls, InsnClass::kAlu);
  EXPECT_TRUE(d[13].shifted_operand);
  EXPECT_EQ(d[13].regs_shifted, core_reg(2));
  EXPECT_FALSE(d[13].simple_alu);
  // uxtb r0, r1
  EXPECT_EQ(d[14].cls, InsnClass::kAluBitfield);
  // smlad r0, r1, r2, r3
  EXPECT_EQ(d[15].cls, InsnClass::kMulAcc);
  // eor r0, r1, #0x1fc0: a rotated constant; #0x00ab00ab: a replicated pattern
  EXPECT_TRUE(d[16].shifted_operand);
  EXPECT_FALSE(d[17].shifted_operand);
  // strex r2, r0, [r1]
  EXPECT_EQ(d[18].cls, InsnClass::kStore);
  EXPECT_EQ(d[18].regs_written, core_reg(2));
  EXPECT_EQ(d[18].regs_store_data, core_reg(0));
  // tbb [pc, r0]
  EXPECT_EQ(d[19].cls, InsnClass::kTableBranch);
  EXPECT_TRUE(cpu_models::writes_pc(d[19]));
}

TEST(Decoder, Branches) {
  const std::vector<Instruction> d = decoded("decode_branches");
  ASSERT_EQ(d.size(), 8u);
  const uint32_t label = d[7].address;
  // cbz r0, 1f
  EXPECT_EQ(d[0].cls, InsnClass::kBranchCond);
  EXPECT_TRUE(d[0].conditional);
  EXPECT_EQ(d[0].branch_target, label);
  EXPECT_EQ(d[0].regs_read & kFlags, 0u);
  EXPECT_EQ(d[0].regs_read & core_reg(0), core_reg(0));
  // beq 1f
  EXPECT_EQ(d[1].cls, InsnClass::kBranchCond);
  EXPECT_EQ(d[1].branch_target, label);
  EXPECT_EQ(d[1].regs_read & kFlags, kFlags);
  // b 1f
  EXPECT_EQ(d[2].cls, InsnClass::kBranch);
  EXPECT_FALSE(d[2].conditional);
  EXPECT_EQ(d[2].branch_target, label);
  // bl 1f
  EXPECT_EQ(d[3].cls, InsnClass::kBranchLink);
  EXPECT_EQ(d[3].size_bytes, 4);
  EXPECT_EQ(d[3].branch_target, label);
  EXPECT_EQ(d[3].regs_written & (kLr | kPc), kLr | kPc);
  // blx r3
  EXPECT_EQ(d[4].cls, InsnClass::kBranchExchange);
  EXPECT_EQ(d[4].branch_target, 0u);
  EXPECT_EQ(d[4].regs_written & kLr, kLr);
  // bx lr
  EXPECT_EQ(d[5].cls, InsnClass::kBranchExchange);
  EXPECT_EQ(d[5].regs_read & kLr, kLr);
  // mov pc, lr
  EXPECT_EQ(d[6].cls, InsnClass::kAluWritesPc);
  // ldr pc, [sp], #4
  EXPECT_EQ(d[7].cls, InsnClass::kLoadPc);
  EXPECT_TRUE(d[7].writeback);
}

TEST(Decoder, ItBlocks) {
  const std::vector<Instruction> d = decoded("decode_it");
  ASSERT_EQ(d.size(), 5u);
  EXPECT_TRUE(d[0].sets_flags);  // adds r0, r1
  EXPECT_FALSE(d[0].conditional);
  EXPECT_EQ(d[1].cls, InsnClass::kIt);  // ite ne
  EXPECT_FALSE(d[1].conditional);
  EXPECT_TRUE(d[2].conditional);  // movne r2, #1
  EXPECT_FALSE(d[2].sets_flags);
  EXPECT_EQ(d[2].regs_read & kFlags, kFlags);
  EXPECT_TRUE(d[3].conditional);   // addeq r2, r3
  EXPECT_FALSE(d[4].conditional);  // adds r4, r5: after the block
  EXPECT_TRUE(d[4].sets_flags);
}

TEST(Decoder, ItStateDoesNotLeakBetweenBlocks) {
  const Sequence& seq = sequence("decode_it");
  sim::Decoder& dec = shared_decoder();
  std::vector<Instruction> out;
  dec.decode(seq.bytes, seq.address, out, 2);  // stops right after ITE
  ASSERT_EQ(out.size(), 2u);
  const std::vector<Instruction> all = decoded("decode_it");
  const size_t off = all[4].address - seq.address;
  dec.decode(std::span(seq.bytes).subspan(off), all[4].address, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].conditional);
  EXPECT_TRUE(out[0].sets_flags);
}

TEST(Decoder, BlockStartingInsideAnItBlock) {
  const Sequence& seq = sequence("decode_it");
  const std::vector<Instruction> all = decoded("decode_it");
  const size_t off = all[2].address - seq.address;
  std::vector<Instruction> out;
  shared_decoder().decode(std::span(seq.bytes).subspan(off), all[2].address, out,
                          std::numeric_limits<size_t>::max(), 2);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].conditional);
  EXPECT_TRUE(out[1].conditional);
  EXPECT_FALSE(out[1].sets_flags);  // addeq r2, r3: 16-bit, no flags inside IT
  EXPECT_FALSE(out[2].conditional);
}

TEST(Decoder, FloatingPoint) {
  const std::vector<Instruction> d = decoded("decode_fp");
  ASSERT_EQ(d.size(), 17u);
  // vadd.f32 s0, s1, s2
  EXPECT_EQ(d[0].cls, InsnClass::kFpAlu);
  EXPECT_EQ(d[0].regs_written, fp_sreg(0));
  EXPECT_EQ(d[0].regs_read, fp_sreg(1) | fp_sreg(2));
  EXPECT_FALSE(d[0].double_precision);
  // vmla.f32 / vfma.f32 s0, s1, s2
  EXPECT_EQ(d[1].cls, InsnClass::kFpMac);
  EXPECT_FALSE(d[1].fused);
  EXPECT_EQ(d[1].regs_accumulate, fp_sreg(0));
  EXPECT_EQ(d[2].cls, InsnClass::kFpMac);
  EXPECT_TRUE(d[2].fused);
  // vldr s0, [r0, #8]; vldr d0, [r0]
  EXPECT_EQ(d[3].cls, InsnClass::kFpLoad);
  EXPECT_EQ(d[3].access_bytes, 4);
  EXPECT_EQ(d[3].mem_offset, 8);
  EXPECT_EQ(d[4].cls, InsnClass::kFpLoad);
  EXPECT_TRUE(d[4].double_precision);
  EXPECT_EQ(d[4].access_bytes, 8);
  EXPECT_EQ(d[4].regs_written, fp_dreg(0));
  // vpush {s16-s19}
  EXPECT_EQ(d[5].cls, InsnClass::kFpStoreMultiple);
  EXPECT_EQ(d[5].reg_count, 4);
  EXPECT_EQ(d[5].address_base_reg, 13);
  EXPECT_EQ(d[5].regs_store_data, fp_sreg(16) | fp_sreg(17) | fp_sreg(18) | fp_sreg(19));
  // vmov r0, s0 / vmov s1, r1: core <-> FP
  EXPECT_EQ(d[6].cls, InsnClass::kFpMoveCore);
  EXPECT_EQ(d[6].regs_written, core_reg(0));
  EXPECT_EQ(d[7].cls, InsnClass::kFpMoveCore);
  // vmov.f32 s0, #1.0
  EXPECT_EQ(d[8].cls, InsnClass::kFpMove);
  // vmov r0, r1, d0
  EXPECT_EQ(d[9].cls, InsnClass::kFpMoveCore);
  EXPECT_TRUE(d[9].double_precision);
  // vmov.32 r0, d0[1]: half of a D register
  EXPECT_EQ(d[10].cls, InsnClass::kFpMove);
  // vmrs APSR_nzcv, fpscr
  EXPECT_EQ(d[11].cls, InsnClass::kFpMove);
  EXPECT_TRUE(d[11].sets_flags);
  EXPECT_EQ(d[11].regs_read & kFpFlags, kFpFlags);
  // vdiv / vsqrt
  EXPECT_EQ(d[12].cls, InsnClass::kFpDivSqrt);
  EXPECT_FALSE(d[12].square_root);
  EXPECT_EQ(d[13].cls, InsnClass::kFpDivSqrt);
  EXPECT_TRUE(d[13].square_root);
  // vadd.f64
  EXPECT_EQ(d[14].cls, InsnClass::kFpAlu);
  EXPECT_TRUE(d[14].double_precision);
  // vstmia r0!, {d0-d1}
  EXPECT_EQ(d[15].cls, InsnClass::kFpStoreMultiple);
  EXPECT_EQ(d[15].reg_count, 2);
  EXPECT_TRUE(d[15].double_precision);
  EXPECT_TRUE(d[15].writeback);
  EXPECT_EQ(d[15].regs_store_data, fp_dreg(0) | fp_dreg(1));
  // vcmp.f32 s0, s1
  EXPECT_EQ(d[16].cls, InsnClass::kFpAlu);
  EXPECT_EQ(d[16].regs_written & kFpFlags, kFpFlags);
}

TEST(Decoder, SystemInstructions) {
  const std::vector<Instruction> d = decoded("decode_system");
  ASSERT_EQ(d.size(), 8u);
  const std::array<InsnClass, 8> expected = {
      InsnClass::kBarrier, InsnClass::kSleep, InsnClass::kSysRegRead, InsnClass::kSysRegWrite,
      InsnClass::kCps,     InsnClass::kSvc,   InsnClass::kBkpt,       InsnClass::kHint};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(d[i].cls, expected[i]) << i << ": " << cpu_models::insn_class_name(d[i].cls);
  }
}

TEST(Decoder, UndecodableBytesBecomeUndefined) {
  const std::vector<Instruction> d = decoded("decode_undefined");
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].cls, InsnClass::kHint);
  EXPECT_EQ(d[1].cls, InsnClass::kUndefined);  // UDF #0
  EXPECT_EQ(d[1].size_bytes, 2);
  EXPECT_EQ(d[2].cls, InsnClass::kUndefined);  // 0xffffffff: a 32-bit prefix, no encoding
  EXPECT_EQ(d[2].size_bytes, 4);
  EXPECT_EQ(d[3].cls, InsnClass::kHint);
  EXPECT_EQ(d[3].address, d[2].address + 4);
}

TEST(Decoder, DisassemblesForMessages) {
  const Sequence& seq = sequence("decode_mix");
  EXPECT_EQ(shared_decoder().disassemble_one(seq.bytes, seq.address), "ldr r0, [r1, #-0x4]");
  const std::array<uint8_t, 2> odd = {0xff, 0xff};
  EXPECT_EQ(shared_decoder().disassemble_one(odd, 0), "<undefined>");
}

TEST(Decoder, MaxInstructionsAndEmptyInput) {
  const Sequence& seq = sequence("alu4");
  std::vector<Instruction> out(3);
  shared_decoder().decode(std::span(seq.bytes).first(0), seq.address, out);
  EXPECT_TRUE(out.empty());
  shared_decoder().decode(seq.bytes, seq.address, out, 2);
  EXPECT_EQ(out.size(), 2u);
}

}  // namespace
}  // namespace tinysim::testing
