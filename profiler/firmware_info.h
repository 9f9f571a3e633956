// FirmwareInfo: what the profiler reads from a firmware ELF beyond what the simulator loads:
// the section headers (code, read-only data, .data, .bss sizes for the memory report), every
// symbol with its size (stack, heap and arena bounds), the functions with their demangled names
// and the source file of their compilation unit (attribution rules), and the DWARF line table
// (cycles per source line).
//
// Built once per profile, before the run; nothing here is on the simulator's hot path. A
// firmware without DWARF loads fine: no line table and no source files. Errors (a file that is
// not an ELF) are kInvalidFirmware naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/status.h"

namespace tinysim::profiler {

struct SectionInfo {
  std::string name;
  uint32_t address = 0;       // run address (VMA)
  uint32_t load_address = 0;  // where its bytes are stored (LMA: flash for .data)
  uint32_t size_bytes = 0;
  bool alloc = false;       // occupies target memory (SHF_ALLOC)
  bool writable = false;    // SHF_WRITE: lives in RAM
  bool executable = false;  // SHF_EXECINSTR
  bool nobits = false;      // SHT_NOBITS: no file bytes (.bss, .stack, .heap)
};

struct SymbolInfo {
  std::string name;
  uint32_t address = 0;  // Thumb bit cleared for functions
  uint32_t size_bytes = 0;
  bool is_function = false;
  bool is_object = false;
  bool is_global = false;  // global or weak binding
  bool is_weak = false;
};

struct FunctionInfo {
  std::string
      name;  // the symbol, e.g. "_ZN6tflite12_GLOBAL__N_14EvalEP13TfLiteContextP10TfLiteNode"
  std::string demangled;    // without the parameter list: "tflite::(anonymous namespace)::Eval"
  std::string source_file;  // DWARF compilation unit name ("" without debug info)
  uint32_t address = 0;     // Thumb bit cleared
  uint32_t size_bytes = 0;  // 0 when the symbol has no size: covers up to the next function
};

// One source position of the line table.
struct SourceLine {
  uint32_t file = 0;  // index into FirmwareInfo::files()
  uint32_t line = 0;
  bool operator==(const SourceLine&) const = default;
};

class FirmwareInfo {
 public:
  static StatusOr<FirmwareInfo> load(const std::filesystem::path& path);

  const std::vector<SectionInfo>& sections() const { return sections_; }
  const std::vector<SymbolInfo>& symbols() const { return symbols_; }
  // Functions sorted by address, one per address (aliases folded into the strongest name).
  const std::vector<FunctionInfo>& functions() const { return functions_; }
  const SymbolInfo* symbol(const std::string& name) const;
  const SectionInfo* section(const std::string& name) const;
  // Index into functions() of the function containing `address`, or -1.
  int function_index_at(uint32_t address) const;
  // End address of function `index` (its size, else the next function's start, else +4 KiB).
  uint32_t function_end(int index) const;

  bool has_line_table() const { return !line_rows_.empty(); }
  // The source position of the instruction at `address`, if the line table covers it.
  std::optional<SourceLine> line_at(uint32_t address) const;
  const std::vector<std::string>& files() const { return files_; }

 private:
  struct LineRow {
    uint32_t address = 0;  // start of the range; the range ends at the next row
    uint32_t file = 0;
    uint32_t line = 0;  // 0: no line (end of sequence, a gap)
  };
  Status read_dwarf(int fd);

  std::vector<SectionInfo> sections_;
  std::vector<SymbolInfo> symbols_;
  std::vector<FunctionInfo> functions_;
  std::vector<LineRow> line_rows_;  // sorted by address
  std::vector<std::string> files_;
};

// "tflite::(anonymous namespace)::Eval" for "_ZN6tflite12_GLOBAL__N_14EvalEP13TfLiteContext...";
// C names and names that do not demangle are returned unchanged.
std::string demangle_without_parameters(const std::string& symbol);

}  // namespace tinysim::profiler
