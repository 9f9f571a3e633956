#include "sim/build_attributes.h"

namespace tinysim::sim {
namespace {

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool at_end() const { return pos_ >= bytes_.size(); }
  size_t pos() const { return pos_; }
  // REQUIRES: pos <= size of the input.
  void seek(size_t pos) { pos_ = pos; }

  bool u8(uint8_t& out) {
    if (pos_ >= bytes_.size()) return false;
    out = bytes_[pos_++];
    return true;
  }
  bool u32(uint32_t& out) {
    if (bytes_.size() - pos_ < 4 || pos_ > bytes_.size()) return false;
    out = uint32_t(bytes_[pos_]) | uint32_t(bytes_[pos_ + 1]) << 8 |
          uint32_t(bytes_[pos_ + 2]) << 16 | uint32_t(bytes_[pos_ + 3]) << 24;
    pos_ += 4;
    return true;
  }
  bool uleb(uint32_t& out) {
    out = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      uint8_t b;
      if (!u8(b)) return false;
      out |= uint32_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool ntbs(std::string& out) {
    const size_t start = pos_;
    while (pos_ < bytes_.size() && bytes_[pos_] != 0) ++pos_;
    if (pos_ >= bytes_.size()) return false;
    out.assign(reinterpret_cast<const char*>(bytes_.data() + start), pos_ - start);
    ++pos_;
    return true;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

// IHI 0045 2.2.6: tags below 32 have fixed types; from 32 on, even tags are ULEB128 and odd
// ones strings. Tag_compatibility (32) is ULEB128 followed by a string.
bool skip_or_read(Reader& r, uint32_t tag, BuildAttributes& out) {
  std::string text;
  if (tag == 4 || tag == 5 || tag == 67 || tag == 65) {
    if (!r.ntbs(text)) return false;
    if (tag == 5) out.cpu_name = text;
    return true;
  }
  if (tag == 32) {
    uint32_t flag;
    return r.uleb(flag) && r.ntbs(text);
  }
  if (tag >= 32 && (tag & 1)) return r.ntbs(text);
  uint32_t value;
  if (!r.uleb(value)) return false;
  switch (tag) {
    case 6:
      out.cpu_arch = value;
      break;
    case 7:
      out.cpu_arch_profile = static_cast<char>(value);
      break;
    case 10:
      out.fp_arch = value;
      break;
    case 27:
      out.abi_hardfp_use = value;
      break;
    case 28:
      out.abi_vfp_args = value;
      break;
    case 46:
      out.dsp_extension = value;
      break;
    default:
      break;
  }
  return true;
}

}  // namespace

std::string BuildAttributes::arch_name() const {
  if (!cpu_arch) return "unknown architecture";
  switch (*cpu_arch) {
    case 10:
      return cpu_arch_profile == 'M' ? "ARMv7-M" : "ARMv7";
    case 11:
      return "ARMv6-M";
    case 12:
      return "ARMv6S-M";
    case 13:
      return "ARMv7E-M";
    case 16:
      return "ARMv8-M.baseline";
    case 17:
      return "ARMv8-M.mainline";
    case 21:
      return "ARMv8.1-M.mainline";
    default:
      return "Tag_CPU_arch " + std::to_string(*cpu_arch);
  }
}

std::optional<BuildAttributes> parse_build_attributes(std::span<const uint8_t> section) {
  BuildAttributes out;
  Reader r(section);
  uint8_t version;
  if (!r.u8(version) || version != 'A') return std::nullopt;
  while (!r.at_end()) {
    const size_t start = r.pos();
    uint32_t length;
    std::string vendor;
    if (!r.u32(length) || length < 4 || length > section.size() - start || !r.ntbs(vendor)) {
      return std::nullopt;
    }
    const size_t end = start + length;
    if (vendor != "aeabi") {  // other vendors' attributes do not concern us
      r.seek(end);
      continue;
    }
    while (r.pos() < end) {
      const size_t sub_start = r.pos();
      uint32_t sub_tag, sub_length;
      if (!r.uleb(sub_tag) || !r.u32(sub_length) || sub_length < 5 ||
          sub_length > end - sub_start) {
        return std::nullopt;
      }
      const size_t sub_end = sub_start + sub_length;
      if (sub_tag != 1) {  // only Tag_File attributes apply to the whole image
        r.seek(sub_end);
        continue;
      }
      while (r.pos() < sub_end) {
        uint32_t tag;
        if (!r.uleb(tag) || !skip_or_read(r, tag, out)) return std::nullopt;
      }
      if (r.pos() != sub_end) return std::nullopt;
    }
  }
  return out;
}

}  // namespace tinysim::sim
