#include "cpu_models/core_model.h"

#include <algorithm>
#include <bit>

#include "cpu_models/impl/armv6m_model.h"
#include "cpu_models/impl/armv7m_model.h"
#include "cpu_models/impl/cortex_m33.h"
#include "cpu_models/impl/cortex_m7.h"
#include "cpu_models/impl/instruction_count_model.h"

namespace tinysim::cpu_models {
namespace {

// Magnitude of a signed operand (INT32_MIN -> 2^31).
uint32_t magnitude(uint32_t v, bool is_signed) {
  if (!is_signed || static_cast<int32_t>(v) >= 0) return v;
  return 0u - v;
}

// Significant 8-bit chunks of a multiplier operand (0..4): the bytes above which the value is
// all zeros (unsigned) or all sign bits (signed).
uint32_t significant_bytes(uint32_t v, bool is_signed) {
  uint32_t bits;
  if (is_signed) {
    // Bits needed in two's complement, sign bit included.
    const uint32_t x = static_cast<int32_t>(v) < 0 ? ~v : v;
    bits = 33 - static_cast<uint32_t>(std::countl_zero(x));
  } else {
    bits = 32 - static_cast<uint32_t>(std::countl_zero(v));
  }
  return (std::min<uint32_t>(bits, 32) + 7) / 8;
}

}  // namespace

uint32_t operand_cycles(OperandCost kind, bool is_signed, uint32_t a, uint32_t b) {
  switch (kind) {
    case OperandCost::kDivide: {
      // Range 2..12: Arm 100165 / DDI0439D Table 3-1. Model: a radix-8 (3 quotient bits per
      // cycle) divider that starts at the dividend's leading one and stops early, plus one cycle:
      // 1 + ceil(q / 3) with q = quotient bits, at least 2. Division by zero: 2 (the result, 0,
      // is known at once when DIV_0_TRP is clear).
      const uint32_t n = magnitude(a, is_signed);
      const uint32_t d = magnitude(b, is_signed);
      if (d == 0 || n < d) return 2;
      const int q = std::countl_zero(d) - std::countl_zero(n) + 1;  // 1..32
      return std::max<uint32_t>(2, 1 + static_cast<uint32_t>((q + 2) / 3));
    }
    case OperandCost::kLongMultiply: {
      // 3..5 (Arm 100165 Table 3-1, "early termination depending on the size of the source
      // values"). Model: 3 when Rm fits in 16 bits, +1 per further significant byte.
      const uint32_t bytes = significant_bytes(b, is_signed);
      return 3 + (bytes > 2 ? bytes - 2 : 0);
    }
    case OperandCost::kLongMultiplyAcc: {
      // 4..7 (Arm 100165 Table 3-1). Model: 4 when Rm fits in 8 bits, +1 per further byte.
      const uint32_t bytes = significant_bytes(b, is_signed);
      return 4 + (bytes > 1 ? bytes - 1 : 0);
    }
  }
  return 0;
}

std::optional<Multiplier> parse_multiplier(std::string_view name) {
  if (name == "fast") return Multiplier::kFast;
  if (name == "small") return Multiplier::kSmall;
  return std::nullopt;
}

std::unique_ptr<CoreModel> make_core_model(std::string_view core, const CoreModelOptions& options) {
  using namespace impl;  // NOLINT(google-build-using-namespace): local, for the factory list
  if (core == "cortex-m0")
    return std::make_unique<Armv6mModel>(cortex_m0_timing(), options.multiplier);
  if (core == "cortex-m0plus") {
    return std::make_unique<Armv6mModel>(cortex_m0plus_timing(), options.multiplier);
  }
  if (core == "cortex-m3") return std::make_unique<Armv7mModel>(cortex_m3_timing());
  if (core == "cortex-m4") return std::make_unique<Armv7mModel>(cortex_m4_timing());
  if (core == "cortex-m7") return std::make_unique<CortexM7Model>(options);
  if (core == "cortex-m33") return std::make_unique<CortexM33Model>();
  if (core == "instruction-count") return std::make_unique<InstructionCountModel>();
  return nullptr;
}

std::vector<std::string> core_model_names() {
  return {"cortex-m0", "cortex-m0plus", "cortex-m3",        "cortex-m4",
          "cortex-m7", "cortex-m33",    "instruction-count"};
}

}  // namespace tinysim::cpu_models
