#include "cpu_models/instruction.h"

namespace tinysim::cpu_models {

const char* insn_class_name(InsnClass cls) {
  switch (cls) {
    case InsnClass::kAlu:
      return "alu";
    case InsnClass::kAluBitfield:
      return "alu-bitfield";
    case InsnClass::kAluWritesPc:
      return "alu-writes-pc";
    case InsnClass::kMul:
      return "mul";
    case InsnClass::kMulAcc:
      return "mul-acc";
    case InsnClass::kLongMul:
      return "long-mul";
    case InsnClass::kLongMulAcc:
      return "long-mul-acc";
    case InsnClass::kDsp:
      return "dsp";
    case InsnClass::kDiv:
      return "div";
    case InsnClass::kLoad:
      return "load";
    case InsnClass::kLoadLiteral:
      return "load-literal";
    case InsnClass::kLoadPc:
      return "load-pc";
    case InsnClass::kStore:
      return "store";
    case InsnClass::kLoadDouble:
      return "load-double";
    case InsnClass::kStoreDouble:
      return "store-double";
    case InsnClass::kLoadMultiple:
      return "load-multiple";
    case InsnClass::kLoadMultiplePc:
      return "load-multiple-pc";
    case InsnClass::kStoreMultiple:
      return "store-multiple";
    case InsnClass::kBranch:
      return "branch";
    case InsnClass::kBranchCond:
      return "branch-cond";
    case InsnClass::kBranchLink:
      return "branch-link";
    case InsnClass::kBranchExchange:
      return "branch-exchange";
    case InsnClass::kTableBranch:
      return "table-branch";
    case InsnClass::kIt:
      return "it";
    case InsnClass::kSysRegRead:
      return "sysreg-read";
    case InsnClass::kSysRegWrite:
      return "sysreg-write";
    case InsnClass::kCps:
      return "cps";
    case InsnClass::kBarrier:
      return "barrier";
    case InsnClass::kHint:
      return "hint";
    case InsnClass::kSleep:
      return "sleep";
    case InsnClass::kSvc:
      return "svc";
    case InsnClass::kBkpt:
      return "bkpt";
    case InsnClass::kFpAlu:
      return "fp-alu";
    case InsnClass::kFpMac:
      return "fp-mac";
    case InsnClass::kFpDivSqrt:
      return "fp-div-sqrt";
    case InsnClass::kFpMove:
      return "fp-move";
    case InsnClass::kFpMoveCore:
      return "fp-move-core";
    case InsnClass::kFpLoad:
      return "fp-load";
    case InsnClass::kFpStore:
      return "fp-store";
    case InsnClass::kFpLoadMultiple:
      return "fp-load-multiple";
    case InsnClass::kFpStoreMultiple:
      return "fp-store-multiple";
    case InsnClass::kUndefined:
      return "undefined";
  }
  return "?";
}

}  // namespace tinysim::cpu_models
