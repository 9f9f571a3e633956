// The operator table of the marker protocol (docs/markers.md): the ELF section `.tinysim_ops`,
// an array of 80-byte little-endian records naming each operator index the firmware's ITM
// markers send, with its kind and MAC count.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/status.h"

namespace tinysim::profiler {

struct OperatorInfo {
  uint32_t index = 0;  // the value the markers store
  std::string name;    // "conv_2d_0"
  std::string kind;    // "CONV_2D"
  uint64_t macs = 0;   // per execution; 0 when unknown
};

inline constexpr size_t kOperatorRecordBytes = 80;
inline constexpr uint16_t kOperatorRecordVersion = 1;

// Parses the section's bytes; sorted by index. kInvalidFirmware when the size is not a multiple
// of 80, a record has another version, or an index repeats.
StatusOr<std::vector<OperatorInfo>> parse_operator_table(std::span<const uint8_t> bytes);

}  // namespace tinysim::profiler
