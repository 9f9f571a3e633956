// CoreModel interface tests: the factory, operand-dependent costs, exception latencies, the
// block contract (prefix cycles, probes, taken extra) and cross-block state.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "cpu_models/core_model.h"
#include "cpu_models/impl/cortex_m7.h"
#include "sequences.h"

namespace tinysim::testing {
namespace {

using cpu_models::BlockTiming;
using cpu_models::CoreModel;
using cpu_models::make_core_model;
using cpu_models::operand_cycles;
using cpu_models::OperandCost;

TEST(CoreModelFactory, CreatesEveryListedModelUnderItsName) {
  for (const std::string& name : cpu_models::core_model_names()) {
    std::unique_ptr<CoreModel> model = make_core_model(name);
    ASSERT_NE(model, nullptr) << name;
    EXPECT_EQ(model->name(), name);
  }
  EXPECT_EQ(make_core_model("cortex-m85"), nullptr);
  EXPECT_EQ(make_core_model(""), nullptr);
}

TEST(CoreModelFactory, ParsesMultiplierOption) {
  EXPECT_EQ(cpu_models::parse_multiplier("fast"), cpu_models::Multiplier::kFast);
  EXPECT_EQ(cpu_models::parse_multiplier("small"), cpu_models::Multiplier::kSmall);
  EXPECT_FALSE(cpu_models::parse_multiplier("32").has_value());
}

// Arm 100165 / DDI0439D Table 3-1: SDIV/UDIV 2..12.
TEST(OperandCycles, DivideStaysInTheDocumentedRange) {
  EXPECT_EQ(operand_cycles(OperandCost::kDivide, false, 0xffffffffu, 1), 12u);
  EXPECT_EQ(operand_cycles(OperandCost::kDivide, false, 5, 7), 2u);            // quotient 0
  EXPECT_EQ(operand_cycles(OperandCost::kDivide, false, 5, 0), 2u);            // division by zero
  EXPECT_EQ(operand_cycles(OperandCost::kDivide, false, 7, 7), 2u);            // one quotient bit
  EXPECT_EQ(operand_cycles(OperandCost::kDivide, true, 0x80000000u, 1), 12u);  // INT_MIN / 1
  EXPECT_EQ(operand_cycles(OperandCost::kDivide, true, static_cast<uint32_t>(-100), 10),
            operand_cycles(OperandCost::kDivide, false, 100, 10));
  uint32_t x = 12345;
  for (int i = 0; i < 2000; ++i) {
    x = x * 1664525u + 1013904223u;
    const uint32_t y = (x >> (x & 31)) | 1;
    const uint32_t c = operand_cycles(OperandCost::kDivide, (i & 1) != 0, x, y);
    EXPECT_GE(c, 2u);
    EXPECT_LE(c, 12u);
  }
  // More quotient bits never make it faster.
  EXPECT_LE(operand_cycles(OperandCost::kDivide, false, 1000, 10),
            operand_cycles(OperandCost::kDivide, false, 1000000, 10));
}

// Arm 100165 Table 3-1: UMULL/SMULL 3..5, UMLAL/SMLAL 4..7 with early termination.
TEST(OperandCycles, M3LongMultiplyEarlyTermination) {
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiply, false, 7, 0xffff), 3u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiply, false, 7, 0x123456), 4u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiply, false, 7, 0x12345678), 5u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiply, true, 7, static_cast<uint32_t>(-1)), 3u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiply, true, 7, 0x80000000u), 5u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiplyAcc, false, 7, 0x7f), 4u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiplyAcc, false, 7, 0x1234), 5u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiplyAcc, false, 7, 0x123456), 6u);
  EXPECT_EQ(operand_cycles(OperandCost::kLongMultiplyAcc, false, 7, 0x12345678), 7u);
}

BlockTiming analyse(CoreModel& model, std::string_view seq_name) {
  const std::vector<cpu_models::Instruction> insns = decode_sequence(sequence(seq_name));
  BlockTiming timing;
  model.analyse_block(insns, timing);
  return timing;
}

TEST(OperandProbes, DivideIsProbedOnM3M4M33NotOnM7OrM0) {
  for (const char* core : {"cortex-m3", "cortex-m4", "cortex-m33"}) {
    auto model = make_core_model(core);
    const BlockTiming t = analyse(*model, "sdiv_one");
    ASSERT_EQ(t.operand_probes.size(), 1u) << core;
    const cpu_models::OperandProbe& p = t.operand_probes[0];
    EXPECT_EQ(p.kind, OperandCost::kDivide);
    EXPECT_TRUE(p.is_signed);
    EXPECT_EQ(p.reg_a, 1);  // sdiv r0, r1, r2: dividend r1
    EXPECT_EQ(p.reg_b, 2);  // divisor r2
    EXPECT_EQ(p.address, sequence("sdiv_one").address);
    EXPECT_EQ(p.assumed_cycles, 2u);
    EXPECT_EQ(t.static_cycles, 2u) << core;
    EXPECT_EQ(cpu_models::operand_extra_cycles(p, 0x7fffffffu, 1), 10u);  // signed: INT_MAX / 1
    EXPECT_EQ(cpu_models::operand_extra_cycles(p, 3, 5), 0u);
  }
  auto m7 = make_core_model("cortex-m7");
  EXPECT_TRUE(analyse(*m7, "sdiv_one").operand_probes.empty());
}

TEST(OperandProbes, LongMultipliesAreProbedOnlyOnM3) {
  auto m3 = make_core_model("cortex-m3");
  const BlockTiming umull = analyse(*m3, "umull_one");
  ASSERT_EQ(umull.operand_probes.size(), 1u);
  EXPECT_EQ(umull.operand_probes[0].kind, OperandCost::kLongMultiply);
  EXPECT_FALSE(umull.operand_probes[0].is_signed);
  EXPECT_EQ(umull.operand_probes[0].assumed_cycles, 3u);
  const BlockTiming smlal = analyse(*m3, "smlal_one");
  ASSERT_EQ(smlal.operand_probes.size(), 1u);
  EXPECT_EQ(smlal.operand_probes[0].kind, OperandCost::kLongMultiplyAcc);
  EXPECT_TRUE(smlal.operand_probes[0].is_signed);
  auto m4 = make_core_model("cortex-m4");
  EXPECT_TRUE(analyse(*m4, "umull_one").operand_probes.empty());
}

TEST(BlockContract, PrefixCyclesAndBoundaries) {
  auto m4 = make_core_model("cortex-m4");
  const Sequence& seq = sequence("trm_ldr_ldr_ldr");
  const BlockTiming t = analyse(*m4, "trm_ldr_ldr_ldr");
  EXPECT_EQ(t.start_address, seq.address);
  EXPECT_EQ(t.end_address, seq.address + seq.bytes.size());
  EXPECT_EQ(t.instruction_count, 3u);
  EXPECT_EQ(t.static_cycles, 4u);
  EXPECT_EQ(t.prefix_cycles, (std::vector<uint32_t>{0, 2, 3}));
  EXPECT_EQ(t.taken_extra_cycles, 0u);
}

TEST(BlockContract, ConditionalBranchSplitsStaticAndTakenCost) {
  // M0: B<cc> 1 not taken, 3 taken (DDI0432C Table 3-1).
  auto m0 = make_core_model("cortex-m0");
  const BlockTiming t = analyse(*m0, "cmp_beq");
  EXPECT_EQ(t.static_cycles, 2u);
  EXPECT_EQ(t.taken_extra_cycles, 2u);
  EXPECT_EQ(m0->retire_block(t, t.end_address), 2u);
  EXPECT_EQ(m0->retire_block(t, t.end_address + 2), 4u);
}

TEST(CrossBlock, M4FpResultUsedAcrossAFallThroughBoundary) {
  // A block split after VADD (no branch) followed by a block whose first instruction uses the
  // result: the "+1" rule still applies across the boundary.
  auto m4 = make_core_model("cortex-m4");
  const std::vector<cpu_models::Instruction> insns = decode_sequence(sequence("vadd_dep"));
  BlockTiming a, b;
  m4->analyse_block(std::span(insns).first(1), a);
  m4->analyse_block(std::span(insns).subspan(1), b);
  uint64_t cycles = m4->retire_block(a, a.end_address);
  cycles += m4->retire_block(b, b.end_address);
  EXPECT_EQ(cycles, 3u);
  // After a flush (an exception in between) nothing is pending any more.
  m4->reset();
  cycles = m4->retire_block(a, a.end_address);
  m4->flush_pipeline();
  cycles += m4->retire_block(b, b.end_address);
  EXPECT_EQ(cycles, 2u);
}

TEST(CrossBlock, M7PredictorLearnsALoop) {
  cpu_models::impl::CortexM7Model m7({});
  const Sequence& loop = sequence("m7_loop_add4");
  run_sequence(m7, loop, 99);  // 100 iterations
  EXPECT_EQ(m7.branches(), 100u);
  // Cold miss on the first taken branch, and the final fall-through.
  EXPECT_EQ(m7.mispredictions(), 2u);
  m7.reset();
  EXPECT_EQ(m7.branches(), 0u);
}

struct ExceptionCase {
  const char* core;
  uint32_t entry, entry_fp, exit, exit_fp, tail_chain;
};

TEST(ExceptionTiming, DocumentedLatencies) {
  const ExceptionCase cases[] = {
      {"cortex-m0", 16, 16, 16, 16, 8},      // entry: Arm M0 interrupt latency 16
      {"cortex-m0plus", 15, 15, 15, 15, 7},  // entry: DDI0484C 3.6.1
      {"cortex-m3", 12, 12, 12, 12, 6},      // reference: entry 12, return 12, tail chain 6
      {"cortex-m4", 12, 29, 10, 27, 6},      // reference: 12 / 29 FP, return 10 / 27, 6
      {"cortex-m7", 12, 29, 10, 27, 6},     {"cortex-m33", 12, 29, 10, 27, 6},
  };
  for (const ExceptionCase& c : cases) {
    auto model = make_core_model(c.core);
    const cpu_models::ExceptionTiming& t = model->exception_timing();
    EXPECT_EQ(t.entry, c.entry) << c.core;
    EXPECT_EQ(t.entry_fp, c.entry_fp) << c.core;
    EXPECT_EQ(t.exit, c.exit) << c.core;
    EXPECT_EQ(t.exit_fp, c.exit_fp) << c.core;
    EXPECT_EQ(t.tail_chain, c.tail_chain) << c.core;
  }
}

TEST(Ordering, FasterCoresTakeFewerCyclesOnALoadLoop) {
  // Sanity: on a load/ALU mix the per-MHz ordering is M7 < M4 <= M3 < M0.
  auto run = [](const char* core) {
    auto model = make_core_model(core);
    return run_sequence(*model, sequence("trm_ldr_ldr_ldr")) +
           run_sequence(*model, sequence("alu4"));
  };
  EXPECT_LT(run("cortex-m7"), run("cortex-m4"));
  EXPECT_LE(run("cortex-m4"), run("cortex-m3"));
  EXPECT_LT(run("cortex-m3"), run("cortex-m0"));
}

}  // namespace
}  // namespace tinysim::testing
