// Number formatting shared by every layer's messages and reports (sim errors, CLI summaries,
// profiler tables): one spelling of large counts everywhere, independent of the host locale.
#pragma once

#include <cstdint>
#include <string>

namespace tinysim::sim {

// 1234567 -> "1,234,567"; negative values keep their sign.
std::string with_commas(int64_t n);

}  // namespace tinysim::sim
