#include "sim/elf_image.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>

namespace tinysim::sim {
namespace {

constexpr uint32_t kShtArmAttributes = 0x70000003;  // SHT_ARM_ATTRIBUTES (IHI 0044)
// Sections whose raw bytes the profiler and the compatibility check read.
const char* const kKeptSections[] = {".tinysim_ops"};

Status invalid(const std::filesystem::path& path, const std::string& what) {
  return {StatusCode::kInvalidFirmware, fmt::format("{}: {}", path.string(), what)};
}

uint64_t fnv1a(const std::vector<uint8_t>& bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : bytes) h = (h ^ b) * 0x100000001b3ull;
  return h;
}

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

}  // namespace

StatusOr<Image> Image::load(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return invalid(path, std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid(path, "cannot open for reading");
  std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file.size() < 16 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
    return invalid(path, "not an ELF file (bad magic)");
  }
  if (file[EI_CLASS] != ELFCLASS32) {
    return invalid(path, file[EI_CLASS] == ELFCLASS64 ? "64-bit ELF; Cortex-M firmware is ELF32"
                                                      : "unknown ELF class");
  }
  if (file[EI_DATA] != ELFDATA2LSB) {
    return invalid(path, "big-endian ELF; tinysim runs little-endian Cortex-M firmware");
  }
  if (file.size() < sizeof(Elf32_Ehdr)) return invalid(path, "truncated ELF header");

  elf_version(EV_CURRENT);
  std::unique_ptr<Elf, ElfCloser> elf(
      elf_memory(reinterpret_cast<char*>(file.data()), file.size()));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF) return invalid(path, "libelf cannot parse it");

  GElf_Ehdr ehdr;
  if (!gelf_getehdr(elf.get(), &ehdr)) return invalid(path, "unreadable ELF header");
  if (ehdr.e_machine != EM_ARM) {
    return invalid(path, fmt::format("machine {} is not ARM (EM_ARM = 40)", ehdr.e_machine));
  }
  if (ehdr.e_type != ET_EXEC) return invalid(path, "not an executable (ET_EXEC) ELF");
  if (!(ehdr.e_entry & 1)) {
    return invalid(path, fmt::format("entry point 0x{:08x} is not a Thumb address (bit 0 clear); "
                                     "Cortex-M executes Thumb code only",
                                     ehdr.e_entry));
  }

  Image image;
  image.path_ = path;
  image.entry_ = static_cast<uint32_t>(ehdr.e_entry);
  image.content_hash_ = fnv1a(file);

  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) != 0) return invalid(path, "unreadable program headers");
  const uint64_t program_headers_end = ehdr.e_phoff + uint64_t(phnum) * ehdr.e_phentsize;
  if (phnum > 0 && program_headers_end > file.size()) {
    return invalid(path, "program headers extend beyond the end of the file (truncated?)");
  }
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf.get(), static_cast<int>(i), &ph)) {
      return invalid(path, fmt::format("unreadable program header {}", i));
    }
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_filesz > ph.p_memsz) {
      return invalid(path, fmt::format("segment {} has more file bytes than memory bytes", i));
    }
    if (ph.p_offset > file.size() || ph.p_filesz > file.size() - ph.p_offset) {
      return invalid(path,
                     fmt::format("segment {} (0x{:08x}, {} bytes) extends beyond the end of the "
                                 "file (truncated?)",
                                 i, ph.p_paddr, ph.p_filesz));
    }
    if (ph.p_vaddr + ph.p_memsz > 0x100000000ull || ph.p_paddr + ph.p_filesz > 0x100000000ull) {
      return invalid(path, fmt::format("segment {} wraps the 32-bit address space", i));
    }
    Segment seg;
    seg.load_address = static_cast<uint32_t>(ph.p_paddr);
    seg.run_address = static_cast<uint32_t>(ph.p_vaddr);
    seg.memory_size = static_cast<uint32_t>(ph.p_memsz);
    seg.writable = ph.p_flags & PF_W;
    seg.executable = ph.p_flags & PF_X;
    seg.bytes.assign(file.begin() + static_cast<std::ptrdiff_t>(ph.p_offset),
                     file.begin() + static_cast<std::ptrdiff_t>(ph.p_offset + ph.p_filesz));
    image.segments_.push_back(std::move(seg));
  }
  if (image.segments_.empty()) return invalid(path, "no loadable segments");

  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf.get(), &shstrndx) != 0) shstrndx = 0;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) return invalid(path, "unreadable section header");
    const char* name = shstrndx ? elf_strptr(elf.get(), shstrndx, sh.sh_name) : nullptr;
    if (sh.sh_type != SHT_NOBITS && sh.sh_size > 0 &&
        (sh.sh_offset > file.size() || sh.sh_size > file.size() - sh.sh_offset)) {
      return invalid(
          path, fmt::format("section '{}' extends beyond the end of the file", name ? name : "?"));
    }
    if (name && (sh.sh_flags & SHF_ALLOC) && sh.sh_size > 0) {
      image.allocated_.push_back({name, static_cast<uint32_t>(sh.sh_addr),
                                  static_cast<uint32_t>(sh.sh_size),
                                  (sh.sh_flags & SHF_WRITE) != 0});
    }
    if (sh.sh_type == kShtArmAttributes) {
      const std::span<const uint8_t> bytes(file.data() + sh.sh_offset, sh.sh_size);
      auto attributes = parse_build_attributes(bytes);
      if (!attributes) return invalid(path, "malformed .ARM.attributes section");
      image.attributes_ = *attributes;
      image.has_attributes_ = true;
    } else if (sh.sh_type == SHT_SYMTAB) {
      Elf_Data* data = elf_getdata(scn, nullptr);
      if (!data || sh.sh_entsize == 0) continue;
      const size_t count = sh.sh_size / sh.sh_entsize;
      for (size_t i = 0; i < count; ++i) {
        GElf_Sym sym;
        if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
        const char* sym_name = elf_strptr(elf.get(), sh.sh_link, sym.st_name);
        if (!sym_name || !*sym_name || sym.st_shndx == SHN_UNDEF) continue;
        const int type = GELF_ST_TYPE(sym.st_info);
        if (sym_name[0] == '$') continue;  // mapping symbols ($t, $d)
        Symbol s{sym_name, static_cast<uint32_t>(sym.st_value), static_cast<uint32_t>(sym.st_size),
                 type == STT_FUNC};
        if (s.is_function) s.address &= ~1u;
        if (type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE) {
          image.symbols_.emplace(s.name, s.address);
        }
        if (s.is_function) image.functions_.push_back(std::move(s));
      }
    } else if (name) {
      for (const char* kept : kKeptSections) {
        if (std::string_view(name) == kept && sh.sh_type != SHT_NOBITS) {
          image.sections_[name].assign(
              file.begin() + static_cast<std::ptrdiff_t>(sh.sh_offset),
              file.begin() + static_cast<std::ptrdiff_t>(sh.sh_offset + sh.sh_size));
        }
      }
    }
  }
  std::sort(image.functions_.begin(), image.functions_.end(),
            [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
  return image;
}

const std::vector<uint8_t>* Image::section(const std::string& name) const {
  auto it = sections_.find(name);
  return it == sections_.end() ? nullptr : &it->second;
}

std::optional<uint32_t> Image::symbol_address(const std::string& name) const {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

const Symbol* Image::function_at(uint32_t address) const {
  auto it = std::upper_bound(functions_.begin(), functions_.end(), address,
                             [](uint32_t a, const Symbol& s) { return a < s.address; });
  if (it == functions_.begin()) return nullptr;
  --it;
  // Functions of unknown size (hand-written assembly) cover up to the next symbol.
  if (it->size != 0 && address >= it->address + it->size) return nullptr;
  return &*it;
}

std::string Image::describe_address(uint32_t address) const {
  const Symbol* f = function_at(address & ~1u);
  if (!f) return fmt::format("0x{:08x}", address);
  const uint32_t offset = (address & ~1u) - f->address;
  return offset ? fmt::format("{}+0x{:x} (0x{:08x})", f->name, offset, address)
                : fmt::format("{} (0x{:08x})", f->name, address);
}

}  // namespace tinysim::sim
