// Recorder::finish(): from the accumulators of the run to a Profile. Runs once, after the run;
// nothing here is on the hot path.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "power_models/energy_model.h"
#include "profiler/energy.h"
#include "profiler/recorder.h"
#include "sim/core.h"
#include "sim/decoder.h"

namespace tinysim::profiler {
namespace {

constexpr int32_t kFnPending = -2;
constexpr int32_t kFnRoot = -7;

bool is_heap_or_stack_section(const std::string& name) {
  std::string l;
  for (char c : name) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l.find("heap") != std::string::npos || l.find("stack") != std::string::npos;
}

}  // namespace

Profile Recorder::finish(const sim::RunResult& result) {
  // Boundaries seen in a block that never retired.
  for (size_t i = 0; i < pending_count_; ++i) {
    switch_marker_op(pending_[i].new_op);
    reroot_frames();
  }
  pending_count_ = 0;
  // The tail after the last block: exception return latency, sleep until a budget.
  charge_gap(result.cycles);
  const uint64_t end = std::max(result.cycles, expected_cycle_);
  while (marker_depth_ > 0) {
    const uint32_t slot = marker_stack_[--marker_depth_];
    OpState& op = marker_ops_[slot];
    op.open = false;
    op.ever_incomplete = true;
    memory_at_op_end(op, marker_depth_ == 0 ? &arena_snapshot_ : nullptr, end);
    record_slice(false, slot, op.open_since, end);
  }
  if (rule_active_depth_ >= 0) {
    rule_ops_[cur_rule_op_].ever_incomplete = true;
    end_rule_op(end);
  }
  // The events since the last operator switch go to the operator (or outside) still current.
  switch_marker_op(cur_marker_op_);
  switch_rule_op(cur_rule_op_);
  scan_stack();

  Profile p;
  const sim::Board& board = machine_.board();
  const sim::Image& image = machine_.image();
  p.tool_version = options_.tool_version;
  p.firmware.path = image.path().string();
  p.firmware.fnv1a64 = fmt::format("{:016x}", image.content_hash());
  p.board.name = board.name;
  p.board.core = std::string(sim::core_name(board.core.kind));
  p.board.fpu = std::string(sim::fpu_name(board.core.fpu));
  p.board.clock_hz = board.clock_hz;
  p.board.sram_bytes = board.sram_bytes();
  p.board.flash_bytes = board.flash_bytes();
  p.run.stop_reason = sim::stop_reason_name(result.reason);
  if (result.reason == sim::StopReason::kExit) p.run.exit_code = result.exit_code;
  p.run.stop_location = result.stop_location;
  p.run.partial = result.reason != sim::StopReason::kExit;
  p.run.sleep_cycles = result.sleep_cycles;
  p.run.exceptions_taken = result.exceptions_taken;
  p.run.blocks = blocks_;
  p.run.host_seconds = result.host_seconds;
  p.line_table = info_.has_line_table();

  // Subtree totals of the calling-context tree (children are created after their parents).
  subtree_cycles_.assign(nodes_.size(), 0);
  subtree_instructions_.assign(nodes_.size(), 0);
  for (size_t n = nodes_.size(); n-- > 0;) {
    subtree_cycles_[n] += nodes_[n].cycles;
    subtree_instructions_[n] += nodes_[n].instructions;
    if (nodes_[n].parent != kNone) {
      subtree_cycles_[nodes_[n].parent] += subtree_cycles_[n];
      subtree_instructions_[nodes_[n].parent] += subtree_instructions_[n];
    }
  }

  p.total.set(Metric::kCycles, double(result.cycles));
  p.total.set(Metric::kInstructions, double(result.instructions));

  const bool rules = !markers_seen_ && rule_ops_.size() > 1;
  p.operator_source = markers_seen_ ? OperatorSource::kMarkers
                                    : (rules ? OperatorSource::kRules : OperatorSource::kNone);
  build_operators(p, rules);
  build_functions_and_stacks(p);
  build_lines(p);
  build_memory(p);

  if (p.memory.stack_measured)
    p.total.set(Metric::kStackPeakBytes, double(p.memory.stack_peak_bytes));
  if (p.memory.heap_measured) p.total.set(Metric::kHeapPeakBytes, double(p.memory.heap_peak_bytes));
  uint64_t code = 0;
  for (const FunctionProfile& f : p.functions) {
    if (f.exclusive.get(Metric::kCycles) > 0) code += f.size_bytes;
  }
  p.total.set(Metric::kFlashCodeBytes, double(code));
  build_energy(p, result, rules);
  p.total.complete_derived(board.clock_hz);

  if (unmatched_markers_) {
    p.warnings.push_back(fmt::format(
        "{} operator end marker(s) without a matching begin (or ending an inner operator)",
        unmatched_markers_));
  }
  if (overflow_depth_ || frames_.size() <= depth_ + 1) {
    p.warnings.push_back(
        fmt::format("call depth exceeded {} frames: deeper calls are attributed "
                    "to the deepest tracked frame",
                    frames_.size()));
  }
  p.warnings.insert(p.warnings.end(), warnings_.begin(), warnings_.end());
  return p;
}

void Recorder::build_operators(Profile& p, bool rules) {
  std::vector<OpState>& states = rules ? rule_ops_ : marker_ops_;
  std::vector<OpAccumulator>& acc = rules ? rule_acc_ : marker_acc_;
  Timeline& timeline = rules ? rule_timeline_ : marker_timeline_;
  const uint64_t clock = machine_.board().clock_hz;

  if (p.operator_source != OperatorSource::kNone) {
    std::vector<uint32_t> order;
    for (uint32_t slot = 1; slot < states.size(); ++slot) {
      if (states[slot].invocations) order.push_back(slot);
    }
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return states[a].info.index < states[b].info.index; });
    std::vector<uint32_t> position(states.size(), 0);
    for (uint32_t slot : order) {
      OpState& s = states[slot];
      position[slot] = static_cast<uint32_t>(p.operators.size());
      OperatorProfile op;
      op.index = s.info.index;
      op.name = s.info.name;
      op.kind = s.info.kind;
      op.function = s.function;
      op.invocations = s.invocations;
      op.macs_per_invocation = s.info.macs;
      op.first_start_cycle = s.first_start_cycle;
      op.complete = !s.ever_incomplete;
      op.stack_peak_exact = s.stack_exact;
      op.metrics.set(Metric::kCycles, double(acc[slot].cycles));
      op.metrics.set(Metric::kInstructions, double(acc[slot].instructions));
      if (s.info.macs) op.metrics.set(Metric::kMacs, double(s.info.macs * s.invocations));
      if (s.stack_measured) op.metrics.set(Metric::kStackPeakBytes, double(s.stack_peak_bytes));
      if (s.arena_measured) {
        op.metrics.set(Metric::kArenaWrittenBytes, double(s.arena_written_bytes));
      }
      // Functions that ran inside: the calling-context subtrees of the operator.
      std::vector<uint32_t> roots = s.nodes;
      if (!rules && s.root_node != kNone) roots.push_back(s.root_node);
      std::map<int32_t, uint64_t> by_fn;
      std::vector<uint32_t> todo(roots.begin(), roots.end());
      std::vector<uint8_t> seen(nodes_.size(), 0);
      while (!todo.empty()) {
        const uint32_t n = todo.back();
        todo.pop_back();
        if (seen[n]) continue;
        seen[n] = 1;
        if (nodes_[n].cycles && nodes_[n].fn != kFnRoot) by_fn[nodes_[n].fn] += nodes_[n].cycles;
        for (uint32_t c = nodes_[n].first_child; c != kNone; c = nodes_[c].next_sibling) {
          todo.push_back(c);
        }
      }
      uint64_t code = 0;
      for (const auto& [fn, cycles] : by_fn) {
        op.functions.push_back({fn_name(fn), cycles});
        if (fn >= 0) code += info_.functions()[static_cast<size_t>(fn)].size_bytes;
      }
      std::sort(op.functions.begin(), op.functions.end(),
                [](const FunctionShare& a, const FunctionShare& b) { return a.cycles > b.cycles; });
      op.metrics.set(Metric::kFlashCodeBytes, double(code));
      op.metrics.complete_derived(clock);
      p.operators.push_back(std::move(op));
    }
    for (const TimelineSlice& slice : timeline.operators) {
      if (!states[slice.operator_position].invocations) continue;
      p.timeline.operators.push_back(
          {position[slice.operator_position], slice.start_cycle, slice.end_cycle});
    }
    p.timeline.truncated = timeline.truncated;
    if (!rules) {
      size_t never = 0;
      for (size_t slot = 1; slot <= table_.size(); ++slot) never += states[slot].invocations == 0;
      if (never) {
        p.warnings.push_back(
            fmt::format("{} of the {} operators in .tinysim_ops never ran", never, table_.size()));
      }
    }
  }
  p.outside_operators.set(Metric::kCycles, double(acc[0].cycles));
  p.outside_operators.set(Metric::kInstructions, double(acc[0].instructions));
  p.outside_operators.complete_derived(clock);
  p.timeline.stack_high_water_bytes = stack_timeline_.stack_high_water_bytes;
  p.timeline.truncated = p.timeline.truncated || stack_timeline_.truncated;
}

void Recorder::build_functions_and_stacks(Profile& p) {
  struct Acc {
    uint64_t self_cycles = 0, self_instructions = 0, calls = 0;
    uint64_t incl_cycles = 0, incl_instructions = 0;
  };
  std::map<int32_t, Acc> by_fn;
  std::unordered_map<uint32_t, uint32_t> root_op;  // marker root node -> op slot
  for (uint32_t slot = 1; slot < marker_ops_.size(); ++slot) {
    if (marker_ops_[slot].root_node != kNone) root_op[marker_ops_[slot].root_node] = slot;
  }
  uint64_t total_self = 0;
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    const Node& node = nodes_[n];
    if (node.fn == kFnRoot || node.fn == kFnPending) continue;
    Acc& a = by_fn[node.fn];
    a.self_cycles += node.cycles;
    a.self_instructions += node.instructions;
    a.calls += node.calls;
    total_self += node.cycles;
    bool nested = false;  // recursion: count the outermost activation only
    for (uint32_t up = node.parent; up != kNone; up = nodes_[up].parent) {
      if (nodes_[up].fn == node.fn) {
        nested = true;
        break;
      }
    }
    if (!nested) {
      a.incl_cycles += subtree_cycles_[n];
      a.incl_instructions += subtree_instructions_[n];
    }
  }
  for (const auto& [fn, a] : by_fn) {
    if (!a.self_cycles && !a.calls && !a.incl_cycles) continue;
    FunctionProfile f;
    f.name = fn_name(fn);
    f.demangled = f.name;
    if (fn >= 0) {
      const FunctionInfo& info = info_.functions()[static_cast<size_t>(fn)];
      f.demangled = info.demangled;
      f.source_file = info.source_file;
      f.address = info.address;
      f.size_bytes = info.size_bytes;
    }
    f.calls = a.calls;
    f.exclusive.set(Metric::kCycles, double(a.self_cycles));
    f.exclusive.set(Metric::kInstructions, double(a.self_instructions));
    f.inclusive.set(Metric::kCycles, double(a.incl_cycles));
    f.inclusive.set(Metric::kInstructions, double(a.incl_instructions));
    f.exclusive.complete_derived(machine_.board().clock_hz);
    f.inclusive.complete_derived(machine_.board().clock_hz);
    p.functions.push_back(std::move(f));
  }
  std::sort(p.functions.begin(), p.functions.end(),
            [](const FunctionProfile& a, const FunctionProfile& b) {
              return a.exclusive.get(Metric::kCycles) > b.exclusive.get(Metric::kCycles);
            });
  const auto total = static_cast<uint64_t>(p.total.get(Metric::kCycles));
  if (total_self != total) {
    p.warnings.push_back(fmt::format(
        "internal: functions account for {} of {} cycles (please report this)", total_self, total));
  }

  // Folded stacks: one entry per calling context that spent cycles itself.
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    if (!nodes_[n].cycles || nodes_[n].fn == kFnRoot) continue;
    StackEntry e;
    e.cycles = nodes_[n].cycles;
    uint32_t up = n;
    for (; up != kNone && nodes_[up].fn != kFnRoot; up = nodes_[up].parent) {
      if (nodes_[up].fn != kFnPending) e.frames.push_back(fn_name(nodes_[up].fn));
    }
    if (up != kNone) {
      auto it = root_op.find(up);
      if (it != root_op.end()) e.frames.push_back(marker_ops_[it->second].info.name);
    }
    std::reverse(e.frames.begin(), e.frames.end());
    p.stacks.push_back(std::move(e));
  }
  std::sort(p.stacks.begin(), p.stacks.end(),
            [](const StackEntry& a, const StackEntry& b) { return a.cycles > b.cycles; });
}

void Recorder::build_lines(Profile& p) {
  if (!info_.has_line_table()) return;
  struct LineAcc {
    double cycles = 0, instructions = 0;
    std::map<int32_t, double> by_fn;  // a line inlined into several functions
    std::vector<uint32_t> addresses;
  };
  std::map<std::pair<uint32_t, uint32_t>, LineAcc> lines;
  for (const Slot& s : slots_) {
    if (!s.executions || !s.insn_count) continue;
    const double cycles = double(s.cycles) / s.insn_count;
    const double instructions = double(s.instructions) / s.insn_count;
    for (uint32_t k = 0; k < s.insn_count; ++k) {
      const uint32_t address = insn_addresses_[s.insn_begin + k];
      const std::optional<SourceLine> line = info_.line_at(address);
      if (!line) continue;
      LineAcc& a = lines[{line->file, line->line}];
      a.by_fn[s.fn] += cycles;
      a.cycles += cycles;
      a.instructions += instructions;
      a.addresses.push_back(address);
    }
  }
  std::vector<std::pair<std::pair<uint32_t, uint32_t>, LineAcc*>> sorted;
  for (auto& [key, acc] : lines) sorted.emplace_back(key, &acc);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.second->cycles > b.second->cycles; });
  if (sorted.size() > options_.max_lines) sorted.resize(options_.max_lines);

  auto decoder = sim::Decoder::create();
  for (auto& [key, acc] : sorted) {
    LineProfile l;
    l.file = info_.files()[key.first];
    l.line = key.second;
    const auto hottest =
        std::max_element(acc->by_fn.begin(), acc->by_fn.end(),
                         [](const auto& x, const auto& y) { return x.second < y.second; });
    l.function = fn_name(hottest->first);
    l.metrics.set(Metric::kCycles, std::round(acc->cycles));
    l.metrics.set(Metric::kInstructions, std::round(acc->instructions));
    l.metrics.complete_derived(machine_.board().clock_hz);
    std::sort(acc->addresses.begin(), acc->addresses.end());
    acc->addresses.erase(std::unique(acc->addresses.begin(), acc->addresses.end()),
                         acc->addresses.end());
    if (decoder.is_ok()) {
      for (uint32_t address : acc->addresses) {
        if (l.disassembly.size() >= options_.max_disassembly_per_line) break;
        uint8_t bytes[4] = {};
        if (!machine_.read_memory(address, bytes, 4) && !machine_.read_memory(address, bytes, 2)) {
          continue;
        }
        l.disassembly.push_back(
            fmt::format("0x{:08x}  {}", address, decoder.value().disassemble_one(bytes, address)));
      }
    }
    p.lines.push_back(std::move(l));
  }
}

void Recorder::build_memory(Profile& p) {
  MemoryReport& m = p.memory;
  const sim::Board& board = machine_.board();
  for (const SectionInfo& s : info_.sections()) {
    if (!s.alloc || !s.size_bytes) continue;
    // Where the section lives decides RAM or flash (.init_array is writable but in flash).
    bool in_ram = s.writable;
    if (const sim::MemoryRegion* region = board.region_at(s.address)) {
      if (!region->alias_of.empty()) region = board.region_named(region->alias_of);
      if (region) {
        in_ram = region->kind == sim::RegionKind::kSram || region->kind == sim::RegionKind::kTcm;
      }
    }
    if (in_ram) {
      m.sram_reserved_bytes += s.size_bytes;
      const bool in_stack = s.address >= stack_low_ && s.address < stack_top_;
      const bool in_heap = s.address >= heap_low_ && s.address < heap_high_;
      if (in_stack || in_heap || is_heap_or_stack_section(s.name)) continue;
      if (!s.nobits) {
        m.data_bytes += s.size_bytes;
        if (s.load_address != s.address) m.data_init_bytes += s.size_bytes;
      } else {
        m.bss_bytes += s.size_bytes;
      }
    } else if (s.executable) {
      m.code_bytes += s.size_bytes;
    } else if (!s.nobits) {
      m.rodata_bytes += s.size_bytes;
    }
  }
  m.static_bytes = m.data_bytes + m.bss_bytes;
  m.stack_low = stack_low_;
  m.stack_top = stack_top_;
  m.stack_bounds_from = stack_bounds_from_;
  if (stack_painted_) {
    m.stack_measured = stack_high_water_ < stack_top_;
    m.stack_peak_bytes = stack_top_ - stack_high_water_;
    if (stack_high_water_ <= stack_low_) {
      p.warnings.push_back(fmt::format(
          "the whole stack region [0x{:08x}, 0x{:08x}) was written: the stack overflowed, or "
          "start-up code cleared it (then the peak is unknown)",
          stack_low_, stack_top_));
    }
  } else if (stack_top_ > stack_low_) {
    p.warnings.push_back("stack not painted: the SRAM peak counts the whole stack region");
  }
  m.heap_reserved_bytes = heap_high_ > heap_low_ ? heap_high_ - heap_low_ : 0;
  if (heap_painted_) {
    m.heap_measured = true;
    m.heap_peak_bytes = scan_heap();
  }
  m.arena_symbol = arena_name_;
  m.arena_bytes = arena_size_;
  const uint64_t stack = m.stack_measured
                             ? m.stack_peak_bytes
                             : (stack_painted_ ? 0 : uint64_t(stack_top_ - stack_low_));
  const uint64_t heap = heap_painted_ ? m.heap_peak_bytes : m.heap_reserved_bytes;
  m.sram_peak_bytes = m.static_bytes + stack + heap;
  m.board_sram_bytes = board.sram_bytes();
  m.sram_fits = m.sram_peak_bytes <= m.board_sram_bytes;
  m.sram_margin_bytes = int64_t(m.board_sram_bytes) - int64_t(m.sram_peak_bytes);
  m.flash_bytes = m.code_bytes + m.rodata_bytes + m.data_init_bytes;
  m.board_flash_bytes = board.flash_bytes();
  m.flash_fits = m.flash_bytes <= m.board_flash_bytes;
  m.flash_margin_bytes = int64_t(m.board_flash_bytes) - int64_t(m.flash_bytes);
}

const char* operator_source_name(OperatorSource source) {
  switch (source) {
    case OperatorSource::kNone:
      return "none";
    case OperatorSource::kMarkers:
      return "markers";
    case OperatorSource::kRules:
      return "rules";
  }
  return "none";
}

void Recorder::build_energy(Profile& p, const sim::RunResult& result, bool rules) {
  const sim::Board& board = machine_.board();
  const bool has_caches = !board.caches.empty();
  // Stall and cache metrics come from the memory models, with or without an energy model.
  auto set_memory = [&](Metrics& m, const power_models::EventCounts& c) {
    m.set(Metric::kMemoryStallCycles, double(c.stall_cycles));
    if (has_caches) {
      m.set(Metric::kCacheHits, double(c.cache_hits));
      m.set(Metric::kCacheMisses, double(c.cache_misses));
    }
  };
  std::vector<power_models::EventCounts>& events = rules ? rule_events_ : marker_events_;
  std::vector<OpAccumulator>& acc = rules ? rule_acc_ : marker_acc_;
  events.resize(acc.size());
  set_memory(p.total, result.events);
  set_memory(p.outside_operators, events[0]);
  const auto energy = board_energy(board);
  std::optional<power_models::EnergyModel> model;
  if (energy) model.emplace(energy->params, double(board.clock_hz));
  if (model) p.total.set(Metric::kEnergyUj, model->energy_uj(result.events));
  if (model) p.outside_operators.set(Metric::kEnergyUj, model->energy_uj(events[0]));
  // Operators: the profile lists them in index order; find each one's slot by its index.
  std::vector<OpState>& states = rules ? rule_ops_ : marker_ops_;
  power_models::EventCounts inference;
  uint64_t inference_cycles = 0;
  for (OperatorProfile& op : p.operators) {
    for (uint32_t slot = 1; slot < states.size(); ++slot) {
      if (!states[slot].invocations || states[slot].info.index != op.index ||
          states[slot].info.name != op.name) {
        continue;
      }
      set_memory(op.metrics, events[slot]);
      if (model) op.metrics.set(Metric::kEnergyUj, model->energy_uj(events[slot]));
      inference += events[slot];
      inference_cycles += acc[slot].cycles;
      break;
    }
  }
  if (!model) return;
  // Functions: each block's counts times its executions, its cycles by its fetch source
  // (memory events are not split by function).
  std::map<std::string, power_models::EventCounts> by_name;
  for (const Slot& s : slots_) {
    if (!s.executions) continue;
    power_models::EventCounts& c = by_name[fn_name(s.fn)];
    c.cycles_by_source[static_cast<int>(s.energy.source)] += s.cycles;
    for (int k = 0; k < power_models::kEnergyClassCount; ++k)
      c.instructions_by_class[k] += s.energy.instructions[k] * s.executions;
  }
  for (FunctionProfile& f : p.functions) {
    auto it = by_name.find(f.name);
    if (it != by_name.end()) {
      f.exclusive.set(Metric::kEnergyUj, model->energy_uj(it->second));
    } else if (f.name == "[sleep]") {
      power_models::EventCounts c;
      c.sleep_cycles = f.exclusive.get_u64(Metric::kCycles);
      f.exclusive.set(Metric::kEnergyUj, model->energy_uj(c));
    } else {
      // Exception entry/exit latency: counted as fetching from the boot region, as the machine
      // counts it.
      power_models::EventCounts c;
      c.cycles_by_source[static_cast<int>(machine_.boot_fetch_source())] =
          f.exclusive.get_u64(Metric::kCycles);
      f.exclusive.set(Metric::kEnergyUj, model->energy_uj(c));
    }
  }
  EnergyReport r;
  r.model = energy->label;
  r.estimate = energy->params.estimate;
  r.vdd_v = energy->params.vdd_v;
  r.average_power_mw = model->average_power_mw(result.events);
  if (p.operators.empty()) {
    r.inference_energy_uj = model->energy_uj(result.events);
    r.inference_time_us = model->seconds(result.events) * 1e6;
  } else {
    r.inference_energy_uj = model->energy_uj(inference);
    r.inference_time_us = double(inference_cycles) / double(board.clock_hz) * 1e6;
  }
  p.energy = std::move(r);
}

}  // namespace tinysim::profiler
