// An executed Thumb instruction as the timing models see it.
//
// sim/ decodes each translated block once (sim/decoder.h, Capstone) into these records; the
// models in this folder never see Capstone or Unicorn. The fields are what the Cortex-M timing
// rules need: the instruction's class, its width and address (alignment rules), the registers it
// reads and writes and in which role (dependency stalls, forwarding), its memory access shape
// (load/store pipelining, bank pairing), and for branches whether and where they go.
#pragma once

#include <cstdint>

namespace tinysim::cpu_models {

// A set of architectural registers, one bit each. Bits 0-15 are R0-R15 (R13 = SP, R14 = LR,
// R15 = PC), bits 16-47 are the single-precision registers S0-S31 (a D register is its two S
// halves: Dn = S2n, S2n+1), bit 48 the APSR condition flags (NZCV), bit 49 the FPSCR condition
// flags (set by VCMP, read by VMRS APSR_nzcv). Bits 50-63 are never set by the decoder; models
// use them for internal pseudo-resources (e.g. "the FP unit is busy").
using RegMask = uint64_t;

constexpr RegMask core_reg(unsigned n) {
  return RegMask{1} << n;
}  // R0..R15
constexpr RegMask fp_sreg(unsigned n) {
  return RegMask{1} << (16u + n);
}  // S0..S31
constexpr RegMask fp_dreg(unsigned n) {
  return RegMask{3} << (16u + 2u * n);
}  // D0..D15
inline constexpr RegMask kCoreRegs = 0xffffull;
inline constexpr RegMask kFpRegs = 0xffffffffull << 16;
inline constexpr RegMask kFlags = RegMask{1} << 48;
inline constexpr RegMask kFpFlags = RegMask{1} << 49;
inline constexpr RegMask kPc = core_reg(15);
inline constexpr RegMask kSp = core_reg(13);
inline constexpr RegMask kLr = core_reg(14);
inline constexpr uint8_t kNoReg = 0xff;

// Timing classes. Rows of the TRM timing tables map onto these (see docs/cpu-models.md).
enum class InsnClass : uint8_t {
  kAlu,              // data processing, shifts, MOV, CMP/TST, ADR, MOVW/MOVT
  kAluBitfield,      // extend (SXTB, UXTAB...), REV*, RBIT, CLZ, BFI/BFC/UBFX/SBFX, SSAT/USAT
  kAluWritesPc,      // MOV/ADD with PC as destination
  kMul,              // MUL(S), and the M4 DSP multiplies without accumulate (SMULxy, SMUAD, SMMUL)
  kMulAcc,           // MLA, MLS, and the DSP multiply-accumulates (SMLAxy, SMLAD, SMMLA...)
  kLongMul,          // SMULL, UMULL
  kLongMulAcc,       // SMLAL, UMLAL, and the DSP long accumulates (UMAAL, SMLALxy, SMLALD...)
  kDsp,              // SIMD add/sub, saturating arithmetic, SEL, USAD8, PKH, SXTB16
  kDiv,              // SDIV, UDIV
  kLoad,             // LDR/LDRH/LDRB/LDRS*, LDRT, LDREX, PLD (any base except a PC literal)
  kLoadLiteral,      // LDR Rt, [PC, #imm]
  kLoadPc,           // LDR PC, [...]
  kStore,            // STR/STRH/STRB, STRT, STREX
  kLoadDouble,       // LDRD
  kStoreDouble,      // STRD
  kLoadMultiple,     // LDM, POP without PC
  kLoadMultiplePc,   // LDM/POP including PC
  kStoreMultiple,    // STM, PUSH
  kBranch,           // B (unconditional, direct)
  kBranchCond,       // B<cc>, CBZ, CBNZ
  kBranchLink,       // BL
  kBranchExchange,   // BX, BLX (register)
  kTableBranch,      // TBB, TBH
  kIt,               // IT
  kSysRegRead,       // MRS
  kSysRegWrite,      // MSR
  kCps,              // CPSIE, CPSID
  kBarrier,          // ISB, DSB, DMB
  kHint,             // NOP, YIELD, SEV, CLREX
  kSleep,            // WFI, WFE
  kSvc,              // SVC
  kBkpt,             // BKPT
  kFpAlu,            // VADD, VSUB, VMUL, VNMUL, VABS, VNEG, VCMP(E), VCVT, VSEL, VMAXNM, VRINT...
  kFpMac,            // VMLA, VMLS, VNMLA, VNMLS (chained), VFMA, VFMS, VFNMA, VFNMS (fused)
  kFpDivSqrt,        // VDIV, VSQRT
  kFpMove,           // VMOV immediate, VMOV S<-S, VMOV half of D <-> core, VMRS, VMSR
  kFpMoveCore,       // VMOV S <-> core, 2 S <-> 2 core, D <-> 2 core
  kFpLoad,           // VLDR
  kFpStore,          // VSTR
  kFpLoadMultiple,   // VLDM, VPOP
  kFpStoreMultiple,  // VSTM, VPUSH
  kUndefined,        // not decodable (or permanently undefined, UDF)
};

inline constexpr int kInsnClassCount = static_cast<int>(InsnClass::kUndefined) + 1;

// The name of a class, e.g. "load-multiple" (tests, debug dumps).
const char* insn_class_name(InsnClass cls);

struct Instruction {
  uint32_t address = 0;
  uint32_t branch_target = 0;  // direct branches (B, B<cc>, BL, CBZ/CBNZ): the target; else 0
  int32_t mem_offset = 0;      // loads/stores with an immediate offset: the offset (signed)

  // Registers read and written (see RegMask). Flag reads include the condition of a
  // conditional instruction; flag writes are set for S-suffixed and compare instructions.
  RegMask regs_read = 0;
  RegMask regs_written = 0;
  // Subsets of regs_read, by the pipeline stage that consumes them:
  RegMask regs_address = 0;     // base and index registers of a memory access (AGU)
  RegMask regs_shifted = 0;     // the register operand an inline shift applies to (Rm, LSL #n)
  RegMask regs_accumulate = 0;  // accumulator inputs of MLA/SMLAL/VMLA/VFMA...
  RegMask regs_store_data = 0;  // data registers a store writes to memory

  InsnClass cls = InsnClass::kAlu;
  uint8_t size_bytes = 2;    // 2 or 4
  uint8_t reg_count = 0;     // registers transferred by LDM/STM/PUSH/POP/VLDM/VSTM (as listed)
  uint8_t access_bytes = 0;  // loads/stores: bytes per element (1, 2, 4, 8); 0 otherwise
  // Registers whose values decide an operand-dependent cost (SDIV/UDIV: dividend, divisor;
  // long multiplies: the two multiplicands); kNoReg when unused.
  uint8_t value_reg_a = kNoReg;
  uint8_t value_reg_b = kNoReg;
  uint8_t address_base_reg = kNoReg;   // base register of a load/store
  uint8_t address_index_reg = kNoReg;  // index register of a register-offset load/store

  bool conditional = false;       // B<cc>/CBZ/CBNZ, or inside an IT block
  bool sets_flags = false;        // writes APSR.NZCV
  bool double_precision = false;  // FP instruction on D registers (or VLDR/VSTR of a D register)
  bool writeback = false;         // load/store with base writeback (pre/post-indexed, LDM Rn!)
  bool signed_operands = false;   // SDIV, SMULL, SMLAL (operand-dependent costs)
  bool shifted_operand = false;   // operand2 is a shifted register or a rotated constant
  bool simple_alu = false;        // ADD/SUB/MOV with no shift (M7 early-ALU forwarding)
  bool fused = false;             // VFMA family (vs. the chained VMLA family)
  bool square_root = false;       // VSQRT (vs. VDIV) in kFpDivSqrt
};

// True for instructions that write the PC (every branch class, LDR PC, POP {..., PC}, MOV PC).
inline bool writes_pc(const Instruction& insn) {
  return (insn.regs_written & kPc) != 0;
}

}  // namespace tinysim::cpu_models
