#include "sim/fit_check.h"

#include <fmt/format.h>

#include <string>

#include "sim/number_format.h"

namespace tinysim::sim {

namespace {

const char* kind_name(RegionKind kind) {
  switch (kind) {
    case RegionKind::kFlash:
      return "flash";
    case RegionKind::kSram:
      return "SRAM";
    case RegionKind::kTcm:
      return "TCM";
    case RegionKind::kXip:
      return "XIP flash";
  }
  return "memory";
}

}  // namespace

Status check_fits(const Image& image, const Board& board) {
  for (const AllocatedSection& s : image.allocated_sections()) {
    const MemoryRegion* region = board.region_at(s.address);
    if (!region) {
      // Starts past a region's end (a stack placed after a .bss that just fit): the nearest
      // region below it of the same sort (RAM for writable sections, flash for the others).
      for (const MemoryRegion& r : board.memory) {
        if (r.base > s.address || is_read_only(r.kind) == s.writable) continue;
        if (!region || r.base > region->base) region = &r;
      }
    }
    if (!region) continue;  // below every region: the machine's segment check reports it
    const uint64_t end = uint64_t(s.address) + s.size_bytes;
    const uint64_t region_end = uint64_t(region->base) + region->size_bytes;
    if (end <= region_end) continue;
    // Everything of the same kind (RAM or not) the firmware places from this region's base on.
    uint64_t total = 0;
    std::string parts;
    for (const AllocatedSection& t : image.allocated_sections()) {
      if (t.writable != s.writable || t.address < region->base) continue;
      const MemoryRegion* r = board.region_at(t.address);
      if (r && r != region) continue;  // in another region that holds it
      total += t.size_bytes;
      parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", t.name, with_commas(t.size_bytes));
    }
    return {StatusCode::kFirmwareTooLarge,
            fmt::format("{} does not fit board '{}': section '{}' (0x{:08x}..0x{:08x}, {} bytes) "
                        "runs {} bytes past the end of {} region '{}' (0x{:08x}..0x{:08x}, {} "
                        "bytes); its {} sections there need {} bytes ({})",
                        image.path().filename().string(), board.name, s.name, s.address, end - 1,
                        with_commas(s.size_bytes), with_commas(end - region_end),
                        kind_name(region->kind), region->name, region->base, region_end - 1,
                        with_commas(region->size_bytes), s.writable ? "RAM" : "read-only",
                        with_commas(total), parts)};
  }
  return Status::ok();
}

}  // namespace tinysim::sim
