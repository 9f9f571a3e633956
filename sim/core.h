// The Cortex-M cores tinysim simulates, their optional features, and the check that a firmware's
// build attributes fit a core.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/elf_image.h"
#include "sim/status.h"

namespace tinysim::sim {

enum class CoreKind { kCortexM0, kCortexM0Plus, kCortexM3, kCortexM4, kCortexM7, kCortexM33 };

enum class FpuKind {
  kNone,
  kFpv4Sp,  // Cortex-M4F: FPv4-SP-D16
  kFpv5Sp,  // Cortex-M7 (e.g. STM32F7), Cortex-M33: FPv5 single precision
  kFpv5Dp,  // Cortex-M7 with double precision (e.g. STM32H7)
};

struct CoreConfig {
  CoreKind kind = CoreKind::kCortexM4;
  FpuKind fpu = FpuKind::kNone;
  // DSP extension; always present on M4/M7, optional on M33.
  bool dsp = false;
  // Cortex-M0/M0+ multiplier implementation option: "fast" (1 cycle) or "small" (32 cycles),
  // DDI0432C/DDI0484C Table 3-1. Ignored for other cores.
  std::string multiplier = "fast";
};

// "cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33".
std::string_view core_name(CoreKind kind);
std::optional<CoreKind> parse_core_name(std::string_view name);
std::string_view fpu_name(FpuKind fpu);
std::optional<FpuKind> parse_fpu_name(std::string_view name);
// "Cortex-M4 with FPv4-SP", for messages.
std::string describe_core(const CoreConfig& core);

// True for ARMv6-M cores (no unaligned access, no divide, Thumb-1 only).
bool is_armv6m(CoreKind kind);

// Unicorn's CPU model for the core (Unicorn has no M0+; its M0 executes the same ISA).
int unicorn_cpu_model(CoreKind kind);

// Fails (kIncompatibleFirmware) when `image` was built for an architecture or FPU `core` lacks,
// with a message saying which attribute and why. Images without build attributes pass.
Status check_compatible(const Image& image, const CoreConfig& core, std::string_view board_name);

}  // namespace tinysim::sim
