#include "profiler/operator_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace tinysim::profiler {
namespace {

uint64_t read_le(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string read_string(const uint8_t* p, size_t max) {
  size_t n = 0;
  while (n < max && p[n] != 0) ++n;
  return std::string(reinterpret_cast<const char*>(p), n);
}

}  // namespace

StatusOr<std::vector<OperatorInfo>> parse_operator_table(std::span<const uint8_t> bytes) {
  if (bytes.size() % kOperatorRecordBytes != 0) {
    return Status(StatusCode::kInvalidFirmware,
                  fmt::format(".tinysim_ops is {} bytes, not a whole number of {}-byte records",
                              bytes.size(), kOperatorRecordBytes));
  }
  std::vector<OperatorInfo> ops;
  for (size_t offset = 0; offset < bytes.size(); offset += kOperatorRecordBytes) {
    const uint8_t* r = bytes.data() + offset;
    const auto version = static_cast<uint16_t>(read_le(r, 2));
    if (version != kOperatorRecordVersion) {
      return Status(StatusCode::kInvalidFirmware,
                    fmt::format(".tinysim_ops record {} has version {} (tinysim reads version {})",
                                offset / kOperatorRecordBytes, version, kOperatorRecordVersion));
    }
    OperatorInfo op;
    op.index = static_cast<uint32_t>(read_le(r + 2, 2));
    op.macs = read_le(r + 8, 8);
    op.kind = read_string(r + 16, 24);
    op.name = read_string(r + 40, 40);
    ops.push_back(std::move(op));
  }
  std::sort(ops.begin(), ops.end(),
            [](const OperatorInfo& a, const OperatorInfo& b) { return a.index < b.index; });
  for (size_t i = 1; i < ops.size(); ++i) {
    if (ops[i].index == ops[i - 1].index) {
      return Status(StatusCode::kInvalidFirmware,
                    fmt::format(".tinysim_ops describes operator {} twice", ops[i].index));
    }
  }
  return ops;
}

}  // namespace tinysim::profiler
