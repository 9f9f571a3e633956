#include "sim/decoder.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <bit>
#include <string_view>
#include <utility>

namespace tinysim::sim {
namespace {

using cpu_models::InsnClass;
using cpu_models::Instruction;
using cpu_models::RegMask;

// Capstone register -> RegMask bit(s); 0 for registers the timing models do not track.
RegMask reg_mask(unsigned reg) {
  if (reg >= ARM_REG_R0 && reg <= ARM_REG_R12) return cpu_models::core_reg(reg - ARM_REG_R0);
  if (reg >= ARM_REG_S0 && reg <= ARM_REG_S31) return cpu_models::fp_sreg(reg - ARM_REG_S0);
  if (reg >= ARM_REG_D0 && reg <= ARM_REG_D15) return cpu_models::fp_dreg(reg - ARM_REG_D0);
  switch (reg) {
    case ARM_REG_SP:
      return cpu_models::kSp;
    case ARM_REG_LR:
      return cpu_models::kLr;
    case ARM_REG_PC:
      return cpu_models::kPc;
    case ARM_REG_APSR:
    case ARM_REG_APSR_NZCV:
    case ARM_REG_CPSR:
      return cpu_models::kFlags;
    case ARM_REG_FPSCR:
    case ARM_REG_FPSCR_NZCV:
      return cpu_models::kFpFlags;
    default:
      return 0;
  }
}

// Capstone register -> core register number 0..15, or kNoReg.
uint8_t core_index(unsigned reg) {
  if (reg >= ARM_REG_R0 && reg <= ARM_REG_R12) return static_cast<uint8_t>(reg - ARM_REG_R0);
  switch (reg) {
    case ARM_REG_SP:
      return 13;
    case ARM_REG_LR:
      return 14;
    case ARM_REG_PC:
      return 15;
    default:
      return cpu_models::kNoReg;
  }
}

bool is_d_reg(unsigned reg) {
  return reg >= ARM_REG_D0 && reg <= ARM_REG_D31;
}

// A Thumb-2 modified immediate the M7's ALU takes without the shifter: an 8-bit value or one of
// the replicated patterns 0x00XY00XY, 0xXY00XY00, 0xXYXYXYXY (jnk0le cortex_m7.md, operand2).
bool is_plain_constant(uint32_t v) {
  if (v <= 0xff) return true;
  const uint32_t b = v & 0xff;
  if (v == (b | b << 16)) return true;
  const uint32_t h = (v >> 8) & 0xff;
  if (v == (h << 8 | h << 24)) return true;
  return v == b * 0x01010101u;
}

// Data-processing instructions whose 32-bit encoding takes a modified (rotatable) immediate.
bool takes_modified_immediate(unsigned id) {
  switch (id) {
    case ARM_INS_ADC:
    case ARM_INS_ADD:
    case ARM_INS_AND:
    case ARM_INS_BIC:
    case ARM_INS_CMN:
    case ARM_INS_CMP:
    case ARM_INS_EOR:
    case ARM_INS_MOV:
    case ARM_INS_MVN:
    case ARM_INS_ORN:
    case ARM_INS_ORR:
    case ARM_INS_RSB:
    case ARM_INS_SBC:
    case ARM_INS_SUB:
    case ARM_INS_TEQ:
    case ARM_INS_TST:
      return true;
    default:
      return false;
  }
}

InsnClass classify(unsigned id) {
  switch (id) {
    case ARM_INS_ADC:
    case ARM_INS_ADD:
    case ARM_INS_ADDW:
    case ARM_INS_ADR:
    case ARM_INS_AND:
    case ARM_INS_BIC:
    case ARM_INS_CMN:
    case ARM_INS_CMP:
    case ARM_INS_EOR:
    case ARM_INS_MOV:
    case ARM_INS_MOVT:
    case ARM_INS_MOVW:
    case ARM_INS_MVN:
    case ARM_INS_ORN:
    case ARM_INS_ORR:
    case ARM_INS_RSB:
    case ARM_INS_SBC:
    case ARM_INS_SUB:
    case ARM_INS_SUBW:
    case ARM_INS_TEQ:
    case ARM_INS_TST:
    case ARM_INS_ASR:
    case ARM_INS_LSL:
    case ARM_INS_LSR:
    case ARM_INS_ROR:
    case ARM_INS_RRX:
    case ARM_INS_MRC:
    case ARM_INS_MCR:
    case ARM_INS_MRRC:
    case ARM_INS_MCRR:
    case ARM_INS_CDP:
      return InsnClass::kAlu;
    case ARM_INS_BFC:
    case ARM_INS_BFI:
    case ARM_INS_CLZ:
    case ARM_INS_RBIT:
    case ARM_INS_REV:
    case ARM_INS_REV16:
    case ARM_INS_REVSH:
    case ARM_INS_SBFX:
    case ARM_INS_UBFX:
    case ARM_INS_SSAT:
    case ARM_INS_USAT:
    case ARM_INS_SXTB:
    case ARM_INS_SXTH:
    case ARM_INS_UXTB:
    case ARM_INS_UXTH:
    case ARM_INS_SXTAB:
    case ARM_INS_SXTAH:
    case ARM_INS_UXTAB:
    case ARM_INS_UXTAH:
      return InsnClass::kAluBitfield;
    case ARM_INS_PKHBT:
    case ARM_INS_PKHTB:
    case ARM_INS_QADD:
    case ARM_INS_QADD16:
    case ARM_INS_QADD8:
    case ARM_INS_QASX:
    case ARM_INS_QDADD:
    case ARM_INS_QDSUB:
    case ARM_INS_QSAX:
    case ARM_INS_QSUB:
    case ARM_INS_QSUB16:
    case ARM_INS_QSUB8:
    case ARM_INS_SADD16:
    case ARM_INS_SADD8:
    case ARM_INS_SASX:
    case ARM_INS_SEL:
    case ARM_INS_SHADD16:
    case ARM_INS_SHADD8:
    case ARM_INS_SHASX:
    case ARM_INS_SHSAX:
    case ARM_INS_SHSUB16:
    case ARM_INS_SHSUB8:
    case ARM_INS_SSAT16:
    case ARM_INS_SSAX:
    case ARM_INS_SSUB16:
    case ARM_INS_SSUB8:
    case ARM_INS_SXTAB16:
    case ARM_INS_SXTB16:
    case ARM_INS_UADD16:
    case ARM_INS_UADD8:
    case ARM_INS_UASX:
    case ARM_INS_UHADD16:
    case ARM_INS_UHADD8:
    case ARM_INS_UHASX:
    case ARM_INS_UHSAX:
    case ARM_INS_UHSUB16:
    case ARM_INS_UHSUB8:
    case ARM_INS_UQADD16:
    case ARM_INS_UQADD8:
    case ARM_INS_UQASX:
    case ARM_INS_UQSAX:
    case ARM_INS_UQSUB16:
    case ARM_INS_UQSUB8:
    case ARM_INS_USAD8:
    case ARM_INS_USADA8:
    case ARM_INS_USAT16:
    case ARM_INS_USAX:
    case ARM_INS_USUB16:
    case ARM_INS_USUB8:
    case ARM_INS_UXTAB16:
    case ARM_INS_UXTB16:
      return InsnClass::kDsp;
    case ARM_INS_MUL:
    case ARM_INS_SMULBB:
    case ARM_INS_SMULBT:
    case ARM_INS_SMULTB:
    case ARM_INS_SMULTT:
    case ARM_INS_SMULWB:
    case ARM_INS_SMULWT:
    case ARM_INS_SMUAD:
    case ARM_INS_SMUADX:
    case ARM_INS_SMUSD:
    case ARM_INS_SMUSDX:
    case ARM_INS_SMMUL:
    case ARM_INS_SMMULR:
      return InsnClass::kMul;
    case ARM_INS_MLA:
    case ARM_INS_MLS:
    case ARM_INS_SMLABB:
    case ARM_INS_SMLABT:
    case ARM_INS_SMLATB:
    case ARM_INS_SMLATT:
    case ARM_INS_SMLAWB:
    case ARM_INS_SMLAWT:
    case ARM_INS_SMLAD:
    case ARM_INS_SMLADX:
    case ARM_INS_SMLSD:
    case ARM_INS_SMLSDX:
    case ARM_INS_SMMLA:
    case ARM_INS_SMMLAR:
    case ARM_INS_SMMLS:
    case ARM_INS_SMMLSR:
      return InsnClass::kMulAcc;
    case ARM_INS_SMULL:
    case ARM_INS_UMULL:
      return InsnClass::kLongMul;
    case ARM_INS_SMLAL:
    case ARM_INS_UMLAL:
    case ARM_INS_UMAAL:
    case ARM_INS_SMLALBB:
    case ARM_INS_SMLALBT:
    case ARM_INS_SMLALTB:
    case ARM_INS_SMLALTT:
    case ARM_INS_SMLALD:
    case ARM_INS_SMLALDX:
    case ARM_INS_SMLSLD:
    case ARM_INS_SMLSLDX:
      return InsnClass::kLongMulAcc;
    case ARM_INS_SDIV:
    case ARM_INS_UDIV:
      return InsnClass::kDiv;
    case ARM_INS_LDR:
    case ARM_INS_LDRB:
    case ARM_INS_LDRH:
    case ARM_INS_LDRSB:
    case ARM_INS_LDRSH:
    case ARM_INS_LDRT:
    case ARM_INS_LDRBT:
    case ARM_INS_LDRHT:
    case ARM_INS_LDRSBT:
    case ARM_INS_LDRSHT:
    case ARM_INS_LDREX:
    case ARM_INS_LDREXB:
    case ARM_INS_LDREXH:
    case ARM_INS_LDA:
    case ARM_INS_LDAB:
    case ARM_INS_LDAH:
    case ARM_INS_LDAEX:
    case ARM_INS_LDAEXB:
    case ARM_INS_LDAEXH:
    case ARM_INS_PLD:
    case ARM_INS_PLDW:
    case ARM_INS_PLI:
      return InsnClass::kLoad;
    case ARM_INS_STR:
    case ARM_INS_STRB:
    case ARM_INS_STRH:
    case ARM_INS_STRT:
    case ARM_INS_STRBT:
    case ARM_INS_STRHT:
    case ARM_INS_STREX:
    case ARM_INS_STREXB:
    case ARM_INS_STREXH:
    case ARM_INS_STL:
    case ARM_INS_STLB:
    case ARM_INS_STLH:
    case ARM_INS_STLEX:
    case ARM_INS_STLEXB:
    case ARM_INS_STLEXH:
      return InsnClass::kStore;
    case ARM_INS_LDRD:
    case ARM_INS_LDREXD:
    case ARM_INS_LDAEXD:
      return InsnClass::kLoadDouble;
    case ARM_INS_STRD:
    case ARM_INS_STREXD:
    case ARM_INS_STLEXD:
      return InsnClass::kStoreDouble;
    case ARM_INS_LDM:
    case ARM_INS_LDMDB:
    case ARM_INS_POP:
      return InsnClass::kLoadMultiple;
    case ARM_INS_STM:
    case ARM_INS_STMDB:
    case ARM_INS_PUSH:
      return InsnClass::kStoreMultiple;
    case ARM_INS_B:
      return InsnClass::kBranch;
    case ARM_INS_CBZ:
    case ARM_INS_CBNZ:
      return InsnClass::kBranchCond;
    case ARM_INS_BL:
      return InsnClass::kBranchLink;
    case ARM_INS_BX:
    case ARM_INS_BLX:
      return InsnClass::kBranchExchange;
    case ARM_INS_TBB:
    case ARM_INS_TBH:
      return InsnClass::kTableBranch;
    case ARM_INS_IT:
      return InsnClass::kIt;
    case ARM_INS_MRS:
      return InsnClass::kSysRegRead;
    case ARM_INS_MSR:
      return InsnClass::kSysRegWrite;
    case ARM_INS_CPS:
      return InsnClass::kCps;
    case ARM_INS_DMB:
    case ARM_INS_DSB:
    case ARM_INS_ISB:
      return InsnClass::kBarrier;
    case ARM_INS_NOP:
    case ARM_INS_YIELD:
    case ARM_INS_SEV:
    case ARM_INS_SEVL:
    case ARM_INS_HINT:
    case ARM_INS_CLREX:
    case ARM_INS_DBG:
      return InsnClass::kHint;
    case ARM_INS_WFI:
    case ARM_INS_WFE:
      return InsnClass::kSleep;
    case ARM_INS_SVC:
      return InsnClass::kSvc;
    case ARM_INS_BKPT:
      return InsnClass::kBkpt;
    case ARM_INS_VADD:
    case ARM_INS_VSUB:
    case ARM_INS_VMUL:
    case ARM_INS_VNMUL:
    case ARM_INS_VABS:
    case ARM_INS_VNEG:
    case ARM_INS_VCMP:
    case ARM_INS_VCMPE:
    case ARM_INS_VCVT:
    case ARM_INS_VCVTA:
    case ARM_INS_VCVTB:
    case ARM_INS_VCVTM:
    case ARM_INS_VCVTN:
    case ARM_INS_VCVTP:
    case ARM_INS_VCVTR:
    case ARM_INS_VCVTT:
    case ARM_INS_VSELEQ:
    case ARM_INS_VSELGE:
    case ARM_INS_VSELGT:
    case ARM_INS_VSELVS:
    case ARM_INS_VMAXNM:
    case ARM_INS_VMINNM:
    case ARM_INS_VRINTA:
    case ARM_INS_VRINTM:
    case ARM_INS_VRINTN:
    case ARM_INS_VRINTP:
    case ARM_INS_VRINTR:
    case ARM_INS_VRINTX:
    case ARM_INS_VRINTZ:
      return InsnClass::kFpAlu;
    case ARM_INS_VMLA:
    case ARM_INS_VMLS:
    case ARM_INS_VNMLA:
    case ARM_INS_VNMLS:
    case ARM_INS_VFMA:
    case ARM_INS_VFMS:
    case ARM_INS_VFNMA:
    case ARM_INS_VFNMS:
      return InsnClass::kFpMac;
    case ARM_INS_VDIV:
    case ARM_INS_VSQRT:
      return InsnClass::kFpDivSqrt;
    case ARM_INS_VMOV:
    case ARM_INS_VMRS:
    case ARM_INS_VMSR:
      return InsnClass::kFpMove;
    case ARM_INS_VLDR:
      return InsnClass::kFpLoad;
    case ARM_INS_VSTR:
      return InsnClass::kFpStore;
    case ARM_INS_VLDMIA:
    case ARM_INS_VLDMDB:
    case ARM_INS_VPOP:
      return InsnClass::kFpLoadMultiple;
    case ARM_INS_VSTMIA:
    case ARM_INS_VSTMDB:
    case ARM_INS_VPUSH:
      return InsnClass::kFpStoreMultiple;
    default:
      return InsnClass::kUndefined;
  }
}

bool is_multiple(InsnClass c) {
  return c == InsnClass::kLoadMultiple || c == InsnClass::kStoreMultiple ||
         c == InsnClass::kFpLoadMultiple || c == InsnClass::kFpStoreMultiple;
}

bool is_load_class(InsnClass c) {
  return c == InsnClass::kLoad || c == InsnClass::kLoadDouble || c == InsnClass::kLoadMultiple ||
         c == InsnClass::kFpLoad || c == InsnClass::kFpLoadMultiple;
}

bool is_store_class(InsnClass c) {
  return c == InsnClass::kStore || c == InsnClass::kStoreDouble || c == InsnClass::kStoreMultiple ||
         c == InsnClass::kFpStore || c == InsnClass::kFpStoreMultiple;
}

uint8_t access_bytes(unsigned id) {
  switch (id) {
    case ARM_INS_LDRB:
    case ARM_INS_LDRSB:
    case ARM_INS_LDRBT:
    case ARM_INS_LDRSBT:
    case ARM_INS_LDREXB:
    case ARM_INS_LDAB:
    case ARM_INS_LDAEXB:
    case ARM_INS_STRB:
    case ARM_INS_STRBT:
    case ARM_INS_STREXB:
    case ARM_INS_STLB:
    case ARM_INS_STLEXB:
      return 1;
    case ARM_INS_LDRH:
    case ARM_INS_LDRSH:
    case ARM_INS_LDRHT:
    case ARM_INS_LDRSHT:
    case ARM_INS_LDREXH:
    case ARM_INS_LDAH:
    case ARM_INS_LDAEXH:
    case ARM_INS_STRH:
    case ARM_INS_STRHT:
    case ARM_INS_STREXH:
    case ARM_INS_STLH:
    case ARM_INS_STLEXH:
      return 2;
    default:
      return 4;
  }
}

// Fills `insn` from Capstone's decoded instruction.
void translate(csh handle, const cs_insn& ci, Instruction& insn) {
  const cs_arm& d = ci.detail->arm;
  const unsigned id = ci.id;
  insn.address = static_cast<uint32_t>(ci.address);
  insn.size_bytes = static_cast<uint8_t>(ci.size);
  insn.cls = classify(id);
  const InsnClass cls = insn.cls;

  // Implicit registers (SP of PUSH/POP, LR of BL, PC of literal loads...).
  cs_regs regs_read, regs_write;
  uint8_t n_read = 0, n_write = 0;
  if (cs_regs_access(handle, &ci, regs_read, &n_read, regs_write, &n_write) == CS_ERR_OK) {
    for (uint8_t i = 0; i < n_read; ++i) insn.regs_read |= reg_mask(regs_read[i]);
    for (uint8_t i = 0; i < n_write; ++i) insn.regs_written |= reg_mask(regs_write[i]);
  }

  uint8_t list_count = 0;
  bool any_d = false;
  int core_operands = 0;
  for (uint8_t i = 0; i < d.op_count; ++i) {
    const cs_arm_op& op = d.operands[i];
    switch (op.type) {
      case ARM_OP_REG: {
        const RegMask m = reg_mask(static_cast<unsigned>(op.reg));
        if (is_d_reg(static_cast<unsigned>(op.reg))) any_d = true;
        if (core_index(static_cast<unsigned>(op.reg)) != cpu_models::kNoReg) ++core_operands;
        if (op.access & CS_AC_READ) insn.regs_read |= m;
        if (op.access & CS_AC_WRITE) insn.regs_written |= m;
        if (op.shift.type >= ARM_SFT_ASR && op.shift.type <= ARM_SFT_RRX) {
          insn.regs_shifted |= m;
          insn.shifted_operand = true;
        } else if (op.shift.type >= ARM_SFT_ASR_REG && op.shift.type <= ARM_SFT_RRX_REG) {
          insn.regs_shifted |= m;
          insn.shifted_operand = true;
          insn.regs_read |= reg_mask(op.shift.value);
        }
        break;
      }
      case ARM_OP_MEM: {
        const RegMask base = reg_mask(static_cast<unsigned>(op.mem.base));
        const RegMask index =
            op.mem.index != ARM_REG_INVALID ? reg_mask(static_cast<unsigned>(op.mem.index)) : 0;
        insn.regs_read |= base | index;
        insn.regs_address |= base | index;
        insn.address_base_reg = core_index(static_cast<unsigned>(op.mem.base));
        if (op.mem.index != ARM_REG_INVALID) {
          insn.address_index_reg = core_index(static_cast<unsigned>(op.mem.index));
          if (op.shift.type != ARM_SFT_INVALID) insn.regs_shifted |= index;
        }
        insn.mem_offset = op.mem.disp;
        break;
      }
      case ARM_OP_IMM:
        if (takes_modified_immediate(id) && ci.size == 4 &&
            !is_plain_constant(static_cast<uint32_t>(op.imm))) {
          insn.shifted_operand = true;
        }
        break;
      default:
        break;
    }
  }

  // Conditions and flags.
  if (d.cc != ARM_CC_AL && d.cc != ARM_CC_INVALID && cls != InsnClass::kIt) {
    insn.conditional = true;
    insn.regs_read |= cpu_models::kFlags;
  }
  insn.regs_written &= ~cpu_models::kFlags;
  insn.sets_flags = d.update_flags;
  switch (id) {
    case ARM_INS_CMP:
    case ARM_INS_CMN:
    case ARM_INS_TST:
    case ARM_INS_TEQ:
      insn.sets_flags = true;
      break;
    case ARM_INS_VCMP:
    case ARM_INS_VCMPE:
      insn.regs_written |= cpu_models::kFpFlags;
      break;
    case ARM_INS_VMRS:
      insn.regs_read |= cpu_models::kFpFlags;
      insn.sets_flags = (insn.regs_written & cpu_models::kCoreRegs) == 0;  // VMRS APSR_nzcv
      break;
    case ARM_INS_VMSR:
      // Capstone 4 reports no access for VMSR's operands.
      for (uint8_t i = 0; i < d.op_count; ++i) {
        if (d.operands[i].type == ARM_OP_REG) {
          insn.regs_read |=
              reg_mask(static_cast<unsigned>(d.operands[i].reg)) & cpu_models::kCoreRegs;
        }
      }
      insn.regs_written |= cpu_models::kFpFlags;
      break;
    case ARM_INS_MSR:
      insn.regs_written |= cpu_models::kFlags;  // conservatively: may write APSR
      break;
    default:
      break;
  }
  if (cls == InsnClass::kBranchCond && (id == ARM_INS_CBZ || id == ARM_INS_CBNZ)) {
    insn.conditional = true;
    insn.regs_read &= ~cpu_models::kFlags;
  }
  if (insn.sets_flags) insn.regs_written |= cpu_models::kFlags;

  // Class-specific details.
  switch (cls) {
    case InsnClass::kAlu:
      if (insn.regs_written & cpu_models::kPc) insn.cls = InsnClass::kAluWritesPc;
      insn.simple_alu =
          !insn.shifted_operand &&
          (id == ARM_INS_ADD || id == ARM_INS_ADDW || id == ARM_INS_SUB || id == ARM_INS_SUBW ||
           id == ARM_INS_MOV || id == ARM_INS_MOVW || id == ARM_INS_ADR);
      break;
    case InsnClass::kMulAcc:
      // MLA Rd, Rn, Rm, Ra: the accumulator is the last operand.
      if (d.op_count == 4 && d.operands[3].type == ARM_OP_REG) {
        insn.regs_accumulate |= reg_mask(static_cast<unsigned>(d.operands[3].reg));
      }
      break;
    case InsnClass::kLongMul:
    case InsnClass::kLongMulAcc:
      if (d.op_count == 4) {
        if (cls == InsnClass::kLongMulAcc) {
          // RdLo, RdHi are read as well (Capstone 4 marks them write-only).
          const RegMask acc = reg_mask(static_cast<unsigned>(d.operands[0].reg)) |
                              reg_mask(static_cast<unsigned>(d.operands[1].reg));
          insn.regs_read |= acc;
          insn.regs_accumulate |= acc;
        }
        insn.value_reg_a = core_index(static_cast<unsigned>(d.operands[2].reg));
        insn.value_reg_b = core_index(static_cast<unsigned>(d.operands[3].reg));
      }
      insn.signed_operands = id != ARM_INS_UMULL && id != ARM_INS_UMLAL && id != ARM_INS_UMAAL;
      break;
    case InsnClass::kDiv:
      if (d.op_count == 3) {
        insn.value_reg_a = core_index(static_cast<unsigned>(d.operands[1].reg));
        insn.value_reg_b = core_index(static_cast<unsigned>(d.operands[2].reg));
      }
      insn.signed_operands = id == ARM_INS_SDIV;
      break;
    case InsnClass::kDsp:
      if (id == ARM_INS_USADA8 && d.op_count == 4) {
        insn.regs_accumulate |= reg_mask(static_cast<unsigned>(d.operands[3].reg));
      }
      break;
    case InsnClass::kFpMac:
      insn.fused =
          id == ARM_INS_VFMA || id == ARM_INS_VFMS || id == ARM_INS_VFNMA || id == ARM_INS_VFNMS;
      if (d.op_count >= 1 && d.operands[0].type == ARM_OP_REG) {
        const RegMask acc = reg_mask(static_cast<unsigned>(d.operands[0].reg));
        insn.regs_read |= acc;
        insn.regs_accumulate |= acc;
      }
      break;
    case InsnClass::kFpDivSqrt:
      insn.square_root = id == ARM_INS_VSQRT;
      break;
    case InsnClass::kFpMove:
      // VMOV between core and FP registers (S <-> R, 2S <-> 2R, D <-> 2R) is its own class;
      // VMOV Dn[x] <-> R (one core register and a D register) stays a plain move.
      if (id == ARM_INS_VMOV && core_operands > 0 && !(any_d && core_operands == 1)) {
        insn.cls = InsnClass::kFpMoveCore;
      }
      break;
    default:
      break;
  }

  // Memory accesses.
  if (is_load_class(cls) || is_store_class(cls)) {
    insn.writeback = d.writeback;
    insn.access_bytes = access_bytes(id);
    if (id == ARM_INS_POP || id == ARM_INS_PUSH || id == ARM_INS_VPOP || id == ARM_INS_VPUSH) {
      insn.address_base_reg = 13;
      insn.regs_address |= cpu_models::kSp;
      insn.regs_read |= cpu_models::kSp;
      insn.regs_written |= cpu_models::kSp;
      insn.writeback = true;
    }
    if (is_multiple(cls)) {
      // LDM/STM/VLDM/VSTM Rn{!}, {list}: the first operand is the base unless PUSH/POP.
      const bool has_base =
          !(id == ARM_INS_POP || id == ARM_INS_PUSH || id == ARM_INS_VPOP || id == ARM_INS_VPUSH);
      RegMask list = 0;
      for (uint8_t i = has_base ? 1 : 0; i < d.op_count; ++i) {
        if (d.operands[i].type != ARM_OP_REG) continue;
        list |= reg_mask(static_cast<unsigned>(d.operands[i].reg));
        ++list_count;
        if (is_d_reg(static_cast<unsigned>(d.operands[i].reg))) any_d = true;
      }
      if (has_base && d.op_count > 0 && d.operands[0].type == ARM_OP_REG) {
        const RegMask base = reg_mask(static_cast<unsigned>(d.operands[0].reg));
        insn.address_base_reg = core_index(static_cast<unsigned>(d.operands[0].reg));
        insn.regs_address |= base;
        insn.regs_read |= base;
        if (insn.writeback) insn.regs_written |= base;
      }
      if (is_load_class(cls)) {
        insn.regs_written |= list;
        insn.regs_read &= ~(list & ~insn.regs_address);
      } else {
        insn.regs_read |= list;
        insn.regs_store_data |= list;
        insn.regs_written &= ~list;
        if (insn.writeback) insn.regs_written |= insn.regs_address;
      }
      insn.reg_count = list_count;
      insn.access_bytes = any_d ? 8 : 4;
    } else if (is_store_class(cls)) {
      // Data registers: the register operands except a STREX status register (written).
      for (uint8_t i = 0; i < d.op_count; ++i) {
        const cs_arm_op& op = d.operands[i];
        if (op.type == ARM_OP_REG && (op.access & CS_AC_WRITE) == 0) {
          insn.regs_store_data |= reg_mask(static_cast<unsigned>(op.reg));
        }
      }
      insn.regs_read |= insn.regs_store_data;
      if (cls == InsnClass::kStoreDouble) insn.reg_count = 2;
      if (cls == InsnClass::kFpStore && any_d) insn.access_bytes = 8;
    } else {
      if (cls == InsnClass::kLoadDouble) insn.reg_count = 2;
      if (cls == InsnClass::kFpLoad && any_d) insn.access_bytes = 8;
      if (cls == InsnClass::kLoad && insn.address_base_reg == 15) {
        insn.cls = InsnClass::kLoadLiteral;
      }
    }
    if (insn.writeback && insn.address_base_reg != cpu_models::kNoReg) {
      insn.regs_written |= cpu_models::core_reg(insn.address_base_reg);
    }
    // Loads into PC are branches.
    if (insn.regs_written & cpu_models::kPc) {
      if (insn.cls == InsnClass::kLoad) insn.cls = InsnClass::kLoadPc;
      if (insn.cls == InsnClass::kLoadMultiple) insn.cls = InsnClass::kLoadMultiplePc;
    }
  }

  // Branches.
  switch (id) {
    case ARM_INS_B:
      if (insn.conditional) insn.cls = InsnClass::kBranchCond;
      [[fallthrough]];
    case ARM_INS_BL:
    case ARM_INS_CBZ:
    case ARM_INS_CBNZ:
      for (uint8_t i = 0; i < d.op_count; ++i) {
        if (d.operands[i].type == ARM_OP_IMM) {
          insn.branch_target = static_cast<uint32_t>(d.operands[i].imm);
        }
      }
      insn.regs_written |= cpu_models::kPc;
      if (id == ARM_INS_BL) insn.regs_written |= cpu_models::kLr;
      break;
    case ARM_INS_BX:
    case ARM_INS_BLX:
      insn.regs_written |= cpu_models::kPc;
      if (id == ARM_INS_BLX) insn.regs_written |= cpu_models::kLr;
      break;
    case ARM_INS_TBB:
    case ARM_INS_TBH:
      insn.regs_written |= cpu_models::kPc;
      insn.access_bytes = id == ARM_INS_TBB ? 1 : 2;
      break;
    default:
      break;
  }
  insn.double_precision =
      any_d && insn.cls >= InsnClass::kFpAlu && insn.cls <= InsnClass::kFpStoreMultiple;
}

// 32-bit Thumb encodings start with 0b11101, 0b11110 or 0b11111.
bool is_32bit_prefix(uint16_t hw) {
  return (hw >> 11) >= 0x1d;
}

}  // namespace

StatusOr<Decoder> Decoder::create() {
  csh handle = 0;
  cs_err err = cs_open(CS_ARCH_ARM, static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS), &handle);
  if (err != CS_ERR_OK) {
    return Status(StatusCode::kInternal,
                  std::string("cannot open the Capstone ARM disassembler: ") + cs_strerror(err));
  }
  err = cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
  cs_insn* insn = err == CS_ERR_OK ? cs_malloc(handle) : nullptr;
  if (insn == nullptr) {
    cs_close(&handle);
    return Status(StatusCode::kInternal,
                  std::string("cannot set up the Capstone ARM disassembler: ") + cs_strerror(err));
  }
  Decoder decoder;
  decoder.handle_ = handle;
  decoder.insn_ = insn;
  return decoder;
}

Decoder::Decoder(Decoder&& other) noexcept
    : handle_(std::exchange(other.handle_, 0)), insn_(std::exchange(other.insn_, nullptr)) {}

Decoder& Decoder::operator=(Decoder&& other) noexcept {
  if (this != &other) {
    std::swap(handle_, other.handle_);
    std::swap(insn_, other.insn_);
  }
  return *this;
}

Decoder::~Decoder() {
  if (insn_ != nullptr) cs_free(static_cast<cs_insn*>(insn_), 1);
  if (handle_ != 0) {
    csh h = handle_;
    cs_close(&h);
  }
}

void Decoder::decode(std::span<const uint8_t> bytes, uint32_t address,
                     std::vector<Instruction>& out, size_t max_instructions,
                     unsigned it_remaining) {
  out.clear();
  if (handle_ == 0 || bytes.size() < 2) return;
  const csh handle = handle_;
  cs_insn* ci = static_cast<cs_insn*>(insn_);
  // Capstone keeps the IT state of the previous decode in the handle; cs_disasm() resets it (with
  // an empty buffer it decodes nothing).
  cs_insn* none = nullptr;
  cs_disasm(handle, bytes.data(), 0, address, 0, &none);

  const uint8_t* code = bytes.data();
  size_t size = bytes.size();
  uint64_t addr = address;
  unsigned it_left = std::min(it_remaining, 4u);
  bool capstone_knows_it = it_left == 0;
  while (size >= 2 && out.size() < max_instructions) {
    Instruction insn;
    if (cs_disasm_iter(handle, &code, &size, &addr, ci)) {
      translate(handle, *ci, insn);
    } else {
      const uint16_t hw = static_cast<uint16_t>(code[0] | code[1] << 8);
      const size_t len = is_32bit_prefix(hw) ? 4 : 2;
      if (len > size) break;
      insn.address = static_cast<uint32_t>(addr);
      insn.size_bytes = static_cast<uint8_t>(len);
      insn.cls = InsnClass::kUndefined;
      code += len;
      size -= len;
      addr += len;
    }
    if (insn.cls == InsnClass::kIt) {
      // IT{x{y{z}}} firstcond: the mask's lowest set bit says how many instructions follow.
      const uint16_t hw = static_cast<uint16_t>(ci->bytes[0] | ci->bytes[1] << 8);
      const unsigned mask = hw & 0xf;
      it_left = mask != 0 ? 4u - static_cast<unsigned>(std::countr_zero(mask)) : 0u;
      capstone_knows_it = true;
    } else if (it_left > 0) {
      --it_left;
      insn.conditional = true;
      insn.regs_read |= cpu_models::kFlags;
      if (insn.cls == InsnClass::kBranch) insn.cls = InsnClass::kBranchCond;
      if (!capstone_knows_it && insn.size_bytes == 2 &&
          (insn.cls == InsnClass::kAlu || insn.cls == InsnClass::kMul)) {
        // Inside an IT block 16-bit data processing does not set the flags (CMP/CMN/TST
        // always do); Capstone, not having seen the IT, decoded the flag-setting form.
        const std::string_view m = ci->mnemonic;
        if (!(m.starts_with("cmp") || m.starts_with("cmn") || m.starts_with("tst"))) {
          insn.sets_flags = false;
          insn.regs_written &= ~cpu_models::kFlags;
        }
      }
    }
    out.push_back(insn);
  }
}

std::string Decoder::disassemble_one(std::span<const uint8_t> bytes, uint32_t address) {
  if (handle_ == 0 || bytes.size() < 2) return "<undefined>";
  cs_insn* ci = static_cast<cs_insn*>(insn_);
  cs_insn* none = nullptr;
  cs_disasm(handle_, bytes.data(), 0, address, 0, &none);
  const uint8_t* code = bytes.data();
  size_t size = bytes.size();
  uint64_t addr = address;
  if (!cs_disasm_iter(handle_, &code, &size, &addr, ci)) return "<undefined>";
  std::string text = ci->mnemonic;
  if (ci->op_str[0] != '\0') {
    text += ' ';
    text += ci->op_str;
  }
  return text;
}

}  // namespace tinysim::sim
