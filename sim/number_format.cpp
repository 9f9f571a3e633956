#include "sim/number_format.h"

namespace tinysim::sim {

std::string with_commas(int64_t n) {
  const bool negative = n < 0;
  // -(n + 1) + 1 avoids overflowing on INT64_MIN.
  const std::string digits = std::to_string(negative ? -(n + 1) + uint64_t(1) : uint64_t(n));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

}  // namespace tinysim::sim
