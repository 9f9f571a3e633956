#include "sequences.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

#ifndef TINYSIM_SEQUENCES_BIN
#error "TINYSIM_SEQUENCES_BIN must name the assembled timing_sequences.bin"
#endif

namespace tinysim::testing {
namespace {

constexpr uint32_t kMagic = 0x51455354;  // "TSEQ"

uint32_t read_u32(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 |
         static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}

const std::map<std::string, Sequence, std::less<>>& library() {
  static const std::map<std::string, Sequence, std::less<>> sequences = [] {
    std::map<std::string, Sequence, std::less<>> out;
    std::ifstream file(TINYSIM_SEQUENCES_BIN, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "cannot read %s\n", TINYSIM_SEQUENCES_BIN);
      std::abort();
    }
    std::vector<uint8_t> blob((std::istreambuf_iterator<char>(file)), {});
    for (size_t at = 0; at + 12 <= blob.size(); at += 8) {
      if (read_u32(blob, at) != kMagic) continue;
      const uint32_t length = read_u32(blob, at + 4);
      const char* name = reinterpret_cast<const char*>(&blob[at + 8]);
      const size_t name_len = strnlen(name, blob.size() - at - 8);
      size_t code = (at + 8 + name_len + 1 + 7) & ~size_t{7};
      if (code + length > blob.size()) break;
      Sequence seq;
      seq.name.assign(name, name_len);
      seq.address = kSequenceBase + static_cast<uint32_t>(code);
      seq.bytes.assign(blob.begin() + static_cast<std::ptrdiff_t>(code),
                       blob.begin() + static_cast<std::ptrdiff_t>(code + length));
      out.emplace(seq.name, std::move(seq));
    }
    return out;
  }();
  return sequences;
}

}  // namespace

const Sequence& sequence(std::string_view name) {
  const auto& lib = library();
  auto it = lib.find(name);
  if (it == lib.end()) {
    std::fprintf(stderr, "no sequence named %.*s in timing_sequences.S\n",
                 static_cast<int>(name.size()), name.data());
    std::abort();
  }
  return it->second;
}

sim::Decoder& shared_decoder() {
  static sim::Decoder decoder = [] {
    auto d = sim::Decoder::create();
    if (!d.is_ok()) {
      std::fprintf(stderr, "%s\n", d.status().message().c_str());
      std::abort();
    }
    return std::move(d.value());
  }();
  return decoder;
}

std::vector<cpu_models::Instruction> decode_sequence(const Sequence& seq) {
  std::vector<cpu_models::Instruction> insns;
  shared_decoder().decode(seq.bytes, seq.address, insns);
  return insns;
}

uint64_t run_sequence(cpu_models::CoreModel& model, const Sequence& seq, int taken) {
  const std::vector<cpu_models::Instruction> insns = decode_sequence(seq);
  const uint32_t end = seq.address + static_cast<uint32_t>(seq.bytes.size());
  uint64_t cycles = 0;
  uint32_t pc = seq.address;
  int taken_left = taken;
  for (int guard = 0; guard < 100000 && pc >= seq.address && pc < end; ++guard) {
    size_t first = 0;
    while (first < insns.size() && insns[first].address != pc) ++first;
    if (first == insns.size()) break;
    size_t last = first;
    while (last + 1 < insns.size() && !cpu_models::writes_pc(insns[last])) ++last;
    const std::span<const cpu_models::Instruction> block(&insns[first], last - first + 1);
    cpu_models::BlockTiming timing;
    model.analyse_block(block, timing);
    const cpu_models::Instruction& br = insns[last];
    uint32_t next = timing.end_address;
    if (cpu_models::writes_pc(br)) {
      if (br.branch_target != 0) {
        bool take = true;
        if (br.conditional) {
          take = taken_left > 0;
          if (take) --taken_left;
        }
        if (take) next = br.branch_target;
      } else {
        next = kOutside;
      }
    }
    cycles += model.retire_block(timing, next);
    pc = next;
  }
  return cycles;
}

uint64_t cycles_per_iteration(cpu_models::CoreModel& model, const Sequence& seq, bool* exact) {
  model.reset();
  const uint64_t two = run_sequence(model, seq, 1);
  model.reset();
  const uint64_t twelve = run_sequence(model, seq, 11);
  model.reset();
  if (exact != nullptr) *exact = (twelve - two) % 10 == 0;
  return (twelve - two) / 10;
}

}  // namespace tinysim::testing
