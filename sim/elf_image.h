// Image: a Cortex-M firmware read from an ELF file, checked and ready to load.
//
// Holds the loadable segments (bytes at their load address, plus the memory each occupies at
// run time), the symbol table for addresses -> "function+offset", the EABI build attributes,
// and raw copies of the sections tinysim reads (.tinysim_ops). Loading validates everything a
// hostile or foreign file could get wrong (class, byte order, machine, offsets beyond the file)
// and reports it with the file name; it never crashes on bad input.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/build_attributes.h"
#include "sim/status.h"

namespace tinysim::sim {

struct Segment {
  uint32_t load_address = 0;  // where the file bytes go (LMA: flash for initialised data)
  uint32_t run_address = 0;   // where the code or data lives at run time (VMA)
  uint32_t memory_size = 0;   // bytes occupied at run_address (>= file bytes)
  bool writable = false;
  bool executable = false;
  std::vector<uint8_t> bytes;  // file contents; may be empty (.bss, .stack)
};

// A section that occupies memory at run time (SHF_ALLOC), for messages about what does not fit.
struct AllocatedSection {
  std::string name;      // e.g. ".bss"
  uint32_t address = 0;  // run address (VMA)
  uint32_t size_bytes = 0;
  bool writable = false;  // SHF_WRITE: lives in RAM
};

struct Symbol {
  std::string name;
  uint32_t address = 0;  // Thumb bit cleared for functions
  uint32_t size = 0;
  bool is_function = false;
};

class Image {
 public:
  // Reads and validates `path`. Errors (kInvalidFirmware) name the file and what is wrong.
  static StatusOr<Image> load(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  uint32_t entry() const { return entry_; }
  const std::vector<Segment>& segments() const { return segments_; }
  // Non-empty SHF_ALLOC sections in file order (.text, .data, .bss, .stack, ...).
  const std::vector<AllocatedSection>& allocated_sections() const { return allocated_; }
  const BuildAttributes& attributes() const { return attributes_; }
  bool has_attributes() const { return has_attributes_; }
  // SHA-256 would need another dependency; FNV-1a 64 of the whole file identifies a build.
  uint64_t content_hash() const { return content_hash_; }

  // Contents of section `name`, if present.
  const std::vector<uint8_t>* section(const std::string& name) const;
  // Address of symbol `name`, if defined.
  std::optional<uint32_t> symbol_address(const std::string& name) const;
  // The function containing `address`, or nullptr.
  const Symbol* function_at(uint32_t address) const;
  // "name+0x12" for an address inside a known function, else "0x0800_1234"-style hex.
  std::string describe_address(uint32_t address) const;

 private:
  std::filesystem::path path_;
  uint32_t entry_ = 0;
  std::vector<Segment> segments_;
  std::vector<AllocatedSection> allocated_;
  BuildAttributes attributes_;
  bool has_attributes_ = false;
  uint64_t content_hash_ = 0;
  std::map<std::string, std::vector<uint8_t>> sections_;
  std::vector<Symbol> functions_;  // sorted by address
  std::map<std::string, uint32_t> symbols_;
};

}  // namespace tinysim::sim
