// An executed Thumb instruction as the timing models see it.
//
// sim/ decodes each translated block once (Capstone) into these records; the models in this
// folder never see Capstone or Unicorn. The fields are what the Cortex-M timing rules need:
// the instruction's class, its width and address (alignment rules), the registers it reads and
// writes (dependency stalls), and for branches whether and where they go.
#pragma once

#include <cstdint>

namespace tinysim::cpu_models {

// Timing classes. Rows of the TRM timing tables map onto these (see ../shared reference).
enum class InsnClass : uint8_t {
  kAlu,            // data processing, shifts, extend, MOV, CMP, REV, CLZ, SSAT, bitfield
  kAluWritesPc,    // MOV/ADD with PC as destination
  kMul,            // MUL(S)
  kMulAcc,         // MLA, MLS
  kLongMul,        // SMULL, UMULL
  kLongMulAcc,     // SMLAL, UMLAL, UMAAL
  kDsp,            // SIMD and saturating DSP instructions, SMLAD, SMUAD, SXTB16, ...
  kDiv,            // SDIV, UDIV
  kLoad,           // LDR/LDRH/LDRB/LDRS*, LDRT, LDREX
  kLoadLiteral,    // LDR Rt, [PC, #imm]
  kLoadPc,         // LDR PC, [...]
  kStore,          // STR/STRH/STRB, STREX
  kLoadDouble,     // LDRD
  kStoreDouble,    // STRD
  kLoadMultiple,   // LDM, POP without PC
  kLoadMultiplePc, // LDM/POP including PC
  kStoreMultiple,  // STM, PUSH
  kBranch,         // B (unconditional)
  kBranchCond,     // B<cc>, CBZ, CBNZ
  kBranchLink,     // BL
  kBranchExchange, // BX, BLX (register)
  kTableBranch,    // TBB, TBH
  kIt,             // IT
  kSysReg,         // MRS, MSR, CPSIE, CPSID
  kBarrier,        // ISB, DSB, DMB
  kHint,           // NOP, YIELD, SEV
  kSleep,          // WFI, WFE
  kSvc,            // SVC
  kBkpt,           // BKPT
  kFpAlu,          // VADD, VSUB, VMUL, VNMUL, VABS, VNEG, VCMP, VCVT
  kFpMac,          // VMLA, VMLS, VNMLA, VNMLS, VFMA, VFMS, VFNMA, VFNMS
  kFpDivSqrt,      // VDIV, VSQRT
  kFpMove,         // VMOV (all forms), VMRS, VMSR
  kFpLoad,         // VLDR
  kFpStore,        // VSTR
  kFpLoadMultiple, // VLDM, VPOP
  kFpStoreMultiple,// VSTM, VPUSH
  kUndefined,      // not decodable for this core
};

struct Instruction {
  uint32_t address = 0;
  uint8_t size_bytes = 2;  // 2 or 4
  InsnClass cls = InsnClass::kAlu;
  uint8_t reg_count = 0;      // registers transferred by LDM/STM/PUSH/POP/VLDM/VSTM
  bool conditional = false;   // B<cc>/CBZ/CBNZ, or inside an IT block
  bool sets_flags = false;
  bool double_precision = false;  // FP instructions on D registers
  uint16_t regs_read = 0;     // bit n: core register Rn read (R13 = SP, R15 = PC)
  uint16_t regs_written = 0;  // bit n: core register Rn written
  uint8_t address_base_reg = 0xff;  // base register of a load/store, 0xff if none
  uint32_t branch_target = 0;       // direct branches: the target address; 0 otherwise
};

}  // namespace tinysim::cpu_models
