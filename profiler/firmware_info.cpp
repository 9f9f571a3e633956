#include "profiler/firmware_info.h"

#include <cxxabi.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <unordered_map>

namespace tinysim::profiler {
namespace {

Status invalid(const std::filesystem::path& path, const std::string& what) {
  return {StatusCode::kInvalidFirmware, fmt::format("{}: {}", path.string(), what)};
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};
struct ElfEnd {
  void operator()(Elf* e) const { elf_end(e); }
};
struct DwarfEnd {
  void operator()(Dwarf* d) const { dwarf_end(d); }
};

// Strength of a symbol name when several name one address: global > weak > local.
int binding_rank(const SymbolInfo& s) {
  if (s.is_global && !s.is_weak) return 2;
  if (s.is_weak) return 1;
  return 0;
}

}  // namespace

std::string demangle_without_parameters(const std::string& symbol) {
  if (symbol.rfind("_Z", 0) != 0) return symbol;
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(
      abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || !out) return symbol;
  std::string name = out.get();
  // Drop trailing qualifiers (" const") and the parameter list: the last top-level "(...)".
  while (!name.empty() && name.back() != ')') {
    const size_t space = name.rfind(' ');
    if (space == std::string::npos) return name;
    name.resize(space);
  }
  int depth = 0;
  for (size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      name.resize(i);
      break;
    }
  }
  return name;
}

StatusOr<FirmwareInfo> FirmwareInfo::load(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return invalid(path, "cannot open for reading");
  FdCloser closer{fd};
  elf_version(EV_CURRENT);
  std::unique_ptr<Elf, ElfEnd> elf(elf_begin(fd, ELF_C_READ, nullptr));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF) return invalid(path, "not an ELF file");
  if (gelf_getclass(elf.get()) != ELFCLASS32) return invalid(path, "not an ELF32 file");

  FirmwareInfo info;
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf.get(), &shstrndx) != 0) shstrndx = 0;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) return invalid(path, "unreadable section header");
    const char* name = shstrndx ? elf_strptr(elf.get(), shstrndx, sh.sh_name) : nullptr;
    SectionInfo s;
    s.name = name ? name : "";
    s.address = static_cast<uint32_t>(sh.sh_addr);
    s.load_address = s.address;
    s.size_bytes = static_cast<uint32_t>(sh.sh_size);
    s.alloc = sh.sh_flags & SHF_ALLOC;
    s.writable = sh.sh_flags & SHF_WRITE;
    s.executable = sh.sh_flags & SHF_EXECINSTR;
    s.nobits = sh.sh_type == SHT_NOBITS;
    info.sections_.push_back(s);

    if (sh.sh_type != SHT_SYMTAB) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || sh.sh_entsize == 0) continue;
    const size_t count = sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
      const char* sym_name = elf_strptr(elf.get(), sh.sh_link, sym.st_name);
      if (!sym_name || !*sym_name || sym_name[0] == '$') continue;  // mapping symbols
      const int type = GELF_ST_TYPE(sym.st_info);
      if (type == STT_SECTION || type == STT_FILE) continue;
      const int bind = GELF_ST_BIND(sym.st_info);
      SymbolInfo s;
      s.name = sym_name;
      s.address = static_cast<uint32_t>(sym.st_value);
      s.size_bytes = static_cast<uint32_t>(sym.st_size);
      s.is_function = type == STT_FUNC && sym.st_shndx != SHN_UNDEF && sym.st_shndx != SHN_ABS;
      s.is_object = type == STT_OBJECT;
      s.is_global = bind == STB_GLOBAL || bind == STB_WEAK;
      s.is_weak = bind == STB_WEAK;
      if (s.is_function) s.address &= ~1u;
      info.symbols_.push_back(std::move(s));
    }
  }
  // Load addresses of sections from the program headers (.data is stored in flash).
  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) == 0) {
    for (size_t i = 0; i < phnum; ++i) {
      GElf_Phdr ph;
      if (!gelf_getphdr(elf.get(), static_cast<int>(i), &ph) || ph.p_type != PT_LOAD) continue;
      for (SectionInfo& s : info.sections_) {
        if (s.alloc && !s.nobits && s.address >= ph.p_vaddr &&
            uint64_t(s.address) + s.size_bytes <= ph.p_vaddr + ph.p_memsz) {
          s.load_address = static_cast<uint32_t>(ph.p_paddr + (s.address - ph.p_vaddr));
        }
      }
    }
  }

  // Functions: one per address, the strongest name wins.
  std::map<uint32_t, const SymbolInfo*> by_address;
  for (const SymbolInfo& s : info.symbols_) {
    if (!s.is_function) continue;
    auto [it, inserted] = by_address.emplace(s.address, &s);
    if (!inserted) {
      const SymbolInfo* old = it->second;
      if (binding_rank(s) > binding_rank(*old) ||
          (binding_rank(s) == binding_rank(*old) && s.size_bytes > old->size_bytes)) {
        it->second = &s;
      }
    }
  }
  for (const auto& [address, s] : by_address) {
    FunctionInfo f;
    f.name = s->name;
    f.demangled = demangle_without_parameters(s->name);
    f.address = address;
    f.size_bytes = s->size_bytes;
    info.functions_.push_back(std::move(f));
  }

  std::unique_ptr<Dwarf, DwarfEnd> dwarf(dwarf_begin_elf(elf.get(), DWARF_C_READ, nullptr));
  if (dwarf) {
    // Compilation unit address ranges -> the CU's name, for each function's source file.
    struct CuRange {
      uint32_t low, high;
      std::string name;
    };
    std::vector<CuRange> cu_ranges;
    // Line rows, one vector per sequence.
    std::vector<std::vector<LineRow>> sequences;
    std::unordered_map<std::string, uint32_t> file_ids;
    auto executable_at = [&](uint32_t address) {
      for (const SectionInfo& s : info.sections_) {
        if (s.alloc && s.executable && address >= s.address &&
            uint64_t(address) < uint64_t(s.address) + s.size_bytes) {
          return true;
        }
      }
      return false;
    };

    Dwarf_Off offset = 0, next = 0;
    size_t header_size = 0;
    while (dwarf_nextcu(dwarf.get(), offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die cu;
      if (dwarf_offdie(dwarf.get(), offset + header_size, &cu)) {
        const char* cu_name = dwarf_diename(&cu);
        Dwarf_Addr base = 0, start = 0, end = 0;
        ptrdiff_t ranges = 0;
        while ((ranges = dwarf_ranges(&cu, ranges, &base, &start, &end)) > 0) {
          if (end > start && start != 0) {
            cu_ranges.push_back(
                {static_cast<uint32_t>(start), static_cast<uint32_t>(end), cu_name ? cu_name : ""});
          }
        }
        Dwarf_Lines* lines = nullptr;
        size_t line_count = 0;
        if (dwarf_getsrclines(&cu, &lines, &line_count) == 0) {
          std::vector<LineRow> sequence;
          for (size_t i = 0; i < line_count; ++i) {
            Dwarf_Line* line = dwarf_onesrcline(lines, i);
            Dwarf_Addr address = 0;
            int lineno = 0;
            bool end_sequence = false;
            if (!line || dwarf_lineaddr(line, &address) != 0) continue;
            dwarf_lineno(line, &lineno);
            dwarf_lineendsequence(line, &end_sequence);
            const char* file = dwarf_linesrc(line, nullptr, nullptr);
            LineRow row;
            row.address = static_cast<uint32_t>(address);
            if (!end_sequence && file && lineno > 0) {
              auto [it, inserted] =
                  file_ids.emplace(file, static_cast<uint32_t>(info.files_.size()));
              if (inserted) info.files_.emplace_back(file);
              row.file = it->second;
              row.line = static_cast<uint32_t>(lineno);
            }
            sequence.push_back(row);
            if (end_sequence) {
              // Sequences of sections the linker discarded start at 0 (or outside code).
              if (!sequence.empty() && executable_at(sequence.front().address)) {
                sequences.push_back(std::move(sequence));
              }
              sequence.clear();
            }
          }
        }
      }
      offset = next;
    }
    std::sort(sequences.begin(), sequences.end(),
              [](const auto& a, const auto& b) { return a.front().address < b.front().address; });
    for (const auto& sequence : sequences) {
      info.line_rows_.insert(info.line_rows_.end(), sequence.begin(), sequence.end());
    }
    std::stable_sort(info.line_rows_.begin(), info.line_rows_.end(),
                     [](const LineRow& a, const LineRow& b) { return a.address < b.address; });
    // Several rows at one address: the last one describes the instruction there.
    std::vector<LineRow> unique_rows;
    for (const LineRow& row : info.line_rows_) {
      if (!unique_rows.empty() && unique_rows.back().address == row.address) {
        unique_rows.back() = row;
      } else {
        unique_rows.push_back(row);
      }
    }
    info.line_rows_ = std::move(unique_rows);

    for (FunctionInfo& f : info.functions_) {
      for (const CuRange& r : cu_ranges) {
        if (f.address >= r.low && f.address < r.high) {
          f.source_file = r.name;
          break;
        }
      }
    }
  }
  return info;
}

const SymbolInfo* FirmwareInfo::symbol(const std::string& name) const {
  const SymbolInfo* found = nullptr;
  for (const SymbolInfo& s : symbols_) {
    if (s.name == name && (!found || binding_rank(s) > binding_rank(*found))) found = &s;
  }
  return found;
}

const SectionInfo* FirmwareInfo::section(const std::string& name) const {
  for (const SectionInfo& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

int FirmwareInfo::function_index_at(uint32_t address) const {
  auto it = std::upper_bound(functions_.begin(), functions_.end(), address,
                             [](uint32_t a, const FunctionInfo& f) { return a < f.address; });
  if (it == functions_.begin()) return -1;
  const int index = static_cast<int>(it - functions_.begin()) - 1;
  if (address >= function_end(index)) return -1;
  return index;
}

uint32_t FirmwareInfo::function_end(int index) const {
  const FunctionInfo& f = functions_[static_cast<size_t>(index)];
  if (f.size_bytes) return f.address + f.size_bytes;
  if (static_cast<size_t>(index) + 1 < functions_.size()) {
    return functions_[static_cast<size_t>(index) + 1].address;
  }
  return f.address + 4096;
}

std::optional<SourceLine> FirmwareInfo::line_at(uint32_t address) const {
  auto it = std::upper_bound(line_rows_.begin(), line_rows_.end(), address,
                             [](uint32_t a, const LineRow& r) { return a < r.address; });
  if (it == line_rows_.begin()) return std::nullopt;
  --it;
  if (it->line == 0) return std::nullopt;
  return SourceLine{it->file, it->line};
}

}  // namespace tinysim::profiler
