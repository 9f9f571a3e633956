#include "sim/core.h"

#include <fmt/format.h>
#include <unicorn/unicorn.h>

namespace tinysim::sim {

std::string_view core_name(CoreKind kind) {
  switch (kind) {
    case CoreKind::kCortexM0:
      return "cortex-m0";
    case CoreKind::kCortexM0Plus:
      return "cortex-m0plus";
    case CoreKind::kCortexM3:
      return "cortex-m3";
    case CoreKind::kCortexM4:
      return "cortex-m4";
    case CoreKind::kCortexM7:
      return "cortex-m7";
    case CoreKind::kCortexM33:
      return "cortex-m33";
  }
  return "?";
}

std::optional<CoreKind> parse_core_name(std::string_view name) {
  for (CoreKind k : {CoreKind::kCortexM0, CoreKind::kCortexM0Plus, CoreKind::kCortexM3,
                     CoreKind::kCortexM4, CoreKind::kCortexM7, CoreKind::kCortexM33}) {
    if (core_name(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view fpu_name(FpuKind fpu) {
  switch (fpu) {
    case FpuKind::kNone:
      return "none";
    case FpuKind::kFpv4Sp:
      return "fpv4-sp";
    case FpuKind::kFpv5Sp:
      return "fpv5-sp";
    case FpuKind::kFpv5Dp:
      return "fpv5-dp";
  }
  return "?";
}

std::optional<FpuKind> parse_fpu_name(std::string_view name) {
  for (FpuKind f : {FpuKind::kNone, FpuKind::kFpv4Sp, FpuKind::kFpv5Sp, FpuKind::kFpv5Dp}) {
    if (fpu_name(f) == name) return f;
  }
  return std::nullopt;
}

std::string describe_core(const CoreConfig& core) {
  static const char* const kNames[] = {"Cortex-M0", "Cortex-M0+", "Cortex-M3",
                                       "Cortex-M4", "Cortex-M7",  "Cortex-M33"};
  std::string s = kNames[static_cast<int>(core.kind)];
  switch (core.fpu) {
    case FpuKind::kNone:
      s += " (no FPU)";
      break;
    case FpuKind::kFpv4Sp:
      s += " with FPv4-SP";
      break;
    case FpuKind::kFpv5Sp:
      s += " with FPv5-SP";
      break;
    case FpuKind::kFpv5Dp:
      s += " with FPv5-DP";
      break;
  }
  return s;
}

bool is_armv6m(CoreKind kind) {
  return kind == CoreKind::kCortexM0 || kind == CoreKind::kCortexM0Plus;
}

int unicorn_cpu_model(CoreKind kind) {
  switch (kind) {
    case CoreKind::kCortexM0:
    case CoreKind::kCortexM0Plus:
      return UC_CPU_ARM_CORTEX_M0;
    case CoreKind::kCortexM3:
      return UC_CPU_ARM_CORTEX_M3;
    case CoreKind::kCortexM4:
      return UC_CPU_ARM_CORTEX_M4;
    case CoreKind::kCortexM7:
      return UC_CPU_ARM_CORTEX_M7;
    case CoreKind::kCortexM33:
      return UC_CPU_ARM_CORTEX_M33;
  }
  return UC_CPU_ARM_CORTEX_M4;
}

namespace {

// Which Tag_CPU_arch values (IHI 0045 2.5.2) a core executes.
bool executes_arch(const CoreConfig& core, uint32_t arch, std::optional<char> profile) {
  const bool v6m = arch == 11 || arch == 12;
  const bool v7m = arch == 10 && profile.value_or('M') == 'M';
  const bool v7em = arch == 13;
  switch (core.kind) {
    case CoreKind::kCortexM0:
    case CoreKind::kCortexM0Plus:
      return v6m;
    case CoreKind::kCortexM3:
      return v6m || v7m;
    case CoreKind::kCortexM4:
    case CoreKind::kCortexM7:
      return v6m || v7m || v7em;
    case CoreKind::kCortexM33:
      return v6m || v7m || arch == 16 || arch == 17 || (v7em && core.dsp);
  }
  return false;
}

}  // namespace

Status check_compatible(const Image& image, const CoreConfig& core, std::string_view board_name) {
  if (!image.has_attributes()) return Status::ok();
  const BuildAttributes& a = image.attributes();
  const std::string who = fmt::format("{} (board '{}')", describe_core(core), board_name);
  const std::string file = image.path().string();
  if (a.cpu_arch && !executes_arch(core, *a.cpu_arch, a.cpu_arch_profile)) {
    return {StatusCode::kIncompatibleFirmware,
            fmt::format("{}: built for {} (Tag_CPU_arch), which the {} cannot execute", file,
                        a.arch_name(), who)};
  }
  if (a.uses_fpu()) {
    const uint32_t fp_arch = *a.fp_arch;
    const bool hard_float = a.abi_vfp_args.value_or(0) == 1;
    if (core.fpu == FpuKind::kNone) {
      return {StatusCode::kIncompatibleFirmware,
              fmt::format("{}: uses floating-point instructions (Tag_FP_arch {}{}), but the {} "
                          "has no FPU; rebuild with -mfloat-abi=soft",
                          file, fp_arch, hard_float ? ", hard-float ABI" : "", who)};
    }
    // Tag_FP_arch 7/8 = ARMv8 FP (FPv5): VSEL, VRINT, VMAXNM... are not in FPv4.
    if ((fp_arch == 7 || fp_arch == 8) && core.fpu == FpuKind::kFpv4Sp) {
      return {StatusCode::kIncompatibleFirmware,
              fmt::format("{}: built for an FPv5 FPU (Tag_FP_arch {}), the {} has FPv4-SP", file,
                          fp_arch, who)};
    }
    if (a.uses_double_precision() && core.fpu != FpuKind::kFpv5Dp) {
      return {StatusCode::kIncompatibleFirmware,
              fmt::format("{}: may use double-precision FP instructions (Tag_ABI_HardFP_use {}), "
                          "the {} is single precision only",
                          file, a.abi_hardfp_use.value_or(0), who)};
    }
  }
  return Status::ok();
}

}  // namespace tinysim::sim
