// The EABI build attributes of an Arm ELF (section .ARM.attributes, "aeabi" vendor): which
// architecture and FPU the compiler targeted. tinysim uses them to refuse a firmware the
// board's core cannot execute. Tag numbers from Arm IHI 0045 (Addenda to the ABI), 2.4/2.5.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace tinysim::sim {

// Tag_CPU_arch values (IHI 0045, 2.5.2).
enum class CpuArch : uint8_t {
  kPreV4 = 0,
  kV6M = 11,
  kV6SM = 12,
  kV7EM = 13,
  kV8MBaseline = 16,
  kV8MMainline = 17,
  kV81MMainline = 21,
  kV7 = 10,  // with Tag_CPU_arch_profile 'M' this is ARMv7-M
};

struct BuildAttributes {
  std::optional<uint32_t> cpu_arch;        // Tag_CPU_arch (6)
  std::optional<char> cpu_arch_profile;    // Tag_CPU_arch_profile (7): 'A', 'R', 'M', 'S'
  std::optional<uint32_t> fp_arch;         // Tag_FP_arch (10): 0 none .. 8 ARMv8-FP D16
  std::optional<uint32_t> abi_vfp_args;    // Tag_ABI_VFP_args (28): 1 = FP registers
  std::optional<uint32_t> abi_hardfp_use;  // Tag_ABI_HardFP_use (27): 1 = SP only
  std::optional<uint32_t> dsp_extension;   // Tag_DSP_extension (46)
  std::string cpu_name;                    // Tag_CPU_name (5), e.g. "7E-M"

  // True when the build uses the FPU (hard-float ABI or FP instructions allowed).
  bool uses_fpu() const { return fp_arch.value_or(0) != 0; }
  // True when the build may use double-precision FP instructions.
  bool uses_double_precision() const { return uses_fpu() && abi_hardfp_use.value_or(0) != 1; }
  // Human-readable architecture, e.g. "ARMv7E-M".
  std::string arch_name() const;
};

// Parses the contents of a .ARM.attributes section. Returns nullopt on malformed input.
std::optional<BuildAttributes> parse_build_attributes(std::span<const uint8_t> section);

}  // namespace tinysim::sim
