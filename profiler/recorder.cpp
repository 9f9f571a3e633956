#include "profiler/recorder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace tinysim::profiler {
namespace {

using cpu_models::InsnClass;

// Function ids: >= 0 index FirmwareInfo::functions(); pseudo functions are negative.
constexpr int32_t kFnUnknown = -1;       // code outside every function symbol
constexpr int32_t kFnPending = -2;       // a frame whose function the next block tells
constexpr int32_t kFnSleep = -3;         // WFI/WFE until the next event
constexpr int32_t kFnEntry = -4;         // exception entry latency (stacking)
constexpr int32_t kFnExit = -5;          // exception return latency (unstacking)
constexpr int32_t kFnUnattributed = -6;  // cycles between blocks with no known cause
constexpr int32_t kFnRoot = -7;          // root of an operator's calling-context tree

// Painted into the stack and heap before the run; a word still holding it was never written.
constexpr uint32_t kPaint = 0x7A5CB3E1u;
constexpr uint32_t kScanChunkWords = 1024;
// Exception return: a branch to 0xFFFFFFxx.
constexpr uint32_t kExcReturnBase = 0xF0000000u;
// How far down the shadow stack a return or resynchronisation looks.
constexpr size_t kMaxUnwind = 64;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Recorder::Recorder(sim::Machine& machine, const FirmwareInfo& info, RecorderOptions options)
    : machine_(machine), info_(info), options_(std::move(options)) {}

Recorder::~Recorder() = default;

StatusOr<std::unique_ptr<Recorder>> Recorder::create(sim::Machine& machine,
                                                     const FirmwareInfo& info,
                                                     RecorderOptions options) {
  std::unique_ptr<Recorder> r(new Recorder(machine, info, std::move(options)));
  if (const std::vector<uint8_t>* ops = machine.image().section(".tinysim_ops")) {
    auto table = parse_operator_table(*ops);
    if (!table.is_ok()) {
      return Status(table.status().code(), fmt::format("{}: {}", machine.image().path().string(),
                                                       table.status().message()));
    }
    r->table_ = std::move(table.value());
  }

  // Direct slot table over the code (every executable section), if it is not absurdly large.
  uint32_t low = UINT32_MAX, high = 0;
  for (const SectionInfo& s : info.sections()) {
    if (s.alloc && s.executable && s.size_bytes) {
      low = std::min(low, s.address);
      high = std::max<uint32_t>(high, s.address + s.size_bytes);
    }
  }
  if (low < high && high - low <= (64u << 20)) {
    r->code_base_ = low;
    r->slot_table_.assign((high - low) / 2 + 1, 0);
  }
  r->slots_.reserve(4096);
  r->nodes_.reserve(1024);

  // Calling-context tree: node 0 is the root of "outside any operator".
  r->nodes_.push_back(Node{kFnRoot});
  r->op_roots_.assign(r->table_.size() + 1, kNone);
  r->op_roots_[0] = 0;
  r->frames_.resize(std::max<size_t>(r->options_.max_call_depth, 4));
  r->frames_[0] = Frame{kFnPending, r->child(0, kFnPending), 0, false, false};
  r->sync_top();

  // Marker operators: slot 0 is "outside", then one slot per table entry.
  r->marker_acc_.assign(r->table_.size() + 1, OpAccumulator{});
  r->marker_ops_.resize(r->table_.size() + 1);
  uint32_t max_index = 0;
  for (const OperatorInfo& op : r->table_) max_index = std::max(max_index, op.index);
  r->index_to_slot_.assign(r->table_.empty() ? 0 : max_index + 1, -1);
  for (size_t i = 0; i < r->table_.size(); ++i) {
    r->marker_ops_[i + 1].info = r->table_[i];
    r->index_to_slot_[r->table_[i].index] = static_cast<int32_t>(i + 1);
  }
  r->rule_acc_.assign(1, OpAccumulator{});
  r->rule_ops_.resize(1);

  // Rules, resolved once per function.
  const auto& functions = info.functions();
  r->fn_rule_.assign(functions.size(), -1);
  r->fn_inference_.assign(functions.size(), 0);
  const std::vector<Rule>& rules = r->options_.rules.rules();
  for (size_t f = 0; f < functions.size(); ++f) {
    for (size_t i = 0; i < rules.size(); ++i) {
      if (!rule_matches(rules[i], functions[f])) continue;
      if (rules[i].action == RuleAction::kInference) {
        r->fn_inference_[f] = 1;
      } else if (r->fn_rule_[f] < 0) {
        r->fn_rule_[f] = static_cast<int16_t>(i);
      }
    }
  }

  r->paint();
  return r;
}

// --- memory ---

void Recorder::paint() {
  const sim::Board& board = machine_.board();
  // Stack bounds: the linker's symbols, else below the initial SP.
  const SymbolInfo* limit = info_.symbol("__stack_limit");
  const SymbolInfo* top = info_.symbol("__stack_top");
  if (limit && top && limit->address < top->address) {
    stack_low_ = limit->address;
    stack_top_ = top->address;
    stack_bounds_from_ = "symbols";
  } else {
    uint32_t sp = 0;
    if (machine_.read_memory(board.boot_address, &sp, 4) && sp > 4) {
      stack_top_ = sp;
      uint32_t floor = 0;
      if (const sim::MemoryRegion* region = board.region_at(sp - 4)) floor = region->base;
      for (const SectionInfo& s : info_.sections()) {
        const uint32_t end = s.address + s.size_bytes;
        if (s.alloc && s.writable && s.size_bytes && end <= sp && end > floor) floor = end;
      }
      stack_low_ = sp - std::min<uint32_t>(options_.default_stack_bytes, sp - floor);
      stack_bounds_from_ = "initial-sp";
    }
  }
  stack_low_ = (stack_low_ + 3) & ~3u;
  stack_top_ &= ~3u;
  stack_high_water_ = stack_top_;

  for (const auto& [start, end] :
       {std::pair{"__heap_start", "__heap_end"}, std::pair{"__HeapBase", "__HeapLimit"},
        std::pair{"_sheap", "_eheap"}}) {
    const SymbolInfo* a = info_.symbol(start);
    const SymbolInfo* b = info_.symbol(end);
    if (a && b && a->address < b->address) {
      heap_low_ = (a->address + 3) & ~3u;
      heap_high_ = b->address & ~3u;
      break;
    }
  }

  // The tensor arena.
  const SymbolInfo* arena = nullptr;
  for (const SymbolInfo& s : info_.symbols()) {
    if (!s.is_object || s.size_bytes == 0) continue;
    const bool named =
        options_.arena_symbol.empty()
            ? (s.name == "tensor_arena" || (s.name.size() > 6 && s.name.ends_with("_arena")))
            : s.name == options_.arena_symbol;
    if (named && (!arena || s.size_bytes > arena->size_bytes)) arena = &s;
  }
  if (!options_.arena_symbol.empty() && !arena) {
    warnings_.push_back(
        fmt::format("arena symbol '{}' not found (or has no size): arena bytes "
                    "not measured",
                    options_.arena_symbol));
  }
  if (arena) {
    arena_address_ = arena->address;
    arena_size_ = arena->size_bytes;
    arena_name_ = arena->name;
    arena_snapshot_.resize(arena_size_);
    arena_rule_snapshot_.resize(arena_size_);
    arena_now_.resize(arena_size_);
  }

  scan_buffer_.resize(kScanChunkWords);
  if (!options_.paint_memory) return;
  std::vector<uint32_t> pattern(kScanChunkWords, kPaint);
  auto fill = [&](uint32_t lo, uint32_t hi) {
    for (uint32_t a = lo; a < hi;) {
      const uint32_t words = std::min<uint32_t>(kScanChunkWords, (hi - a) / 4);
      if (words == 0 || !machine_.write_memory(a, pattern.data(), words * 4)) return false;
      a += words * 4;
    }
    return true;
  };
  if (stack_low_ < stack_top_) stack_painted_ = fill(stack_low_, stack_top_);
  if (heap_low_ < heap_high_) heap_painted_ = fill(heap_low_, heap_high_);
}

uint32_t Recorder::scan_stack() {
  if (!stack_painted_) return stack_top_;
  // The stack grows down: the first word from the bottom that lost the paint is the deepest.
  for (uint32_t a = stack_low_; a < stack_high_water_;) {
    const uint32_t words = std::min<uint32_t>(kScanChunkWords, (stack_high_water_ - a) / 4);
    if (words == 0 || !machine_.read_memory(a, scan_buffer_.data(), words * 4)) break;
    for (uint32_t i = 0; i < words; ++i) {
      if (scan_buffer_[i] != kPaint) {
        stack_high_water_ = a + 4 * i;
        return stack_high_water_;
      }
    }
    a += words * 4;
  }
  return stack_high_water_;
}

uint64_t Recorder::scan_heap() {
  if (!heap_painted_) return 0;
  // The heap grows up: the last word from the top that lost the paint is the highest in use.
  for (uint32_t hi = heap_high_; hi > heap_low_;) {
    const uint32_t words = std::min<uint32_t>(kScanChunkWords, (hi - heap_low_) / 4);
    const uint32_t a = hi - words * 4;
    if (words == 0 || !machine_.read_memory(a, scan_buffer_.data(), words * 4)) break;
    for (uint32_t i = words; i-- > 0;) {
      if (scan_buffer_[i] != kPaint) return uint64_t(a + 4 * i + 4 - heap_low_);
    }
    hi = a;
  }
  return 0;
}

void Recorder::memory_at_op_begin(OpState& op, std::vector<uint8_t>* snapshot, uint64_t cycle) {
  if (stack_painted_) {
    op.stack_high_water_at_begin = scan_stack();
    sample_stack(cycle);
  }
  if (snapshot && arena_size_) {
    if (!machine_.read_memory(arena_address_, snapshot->data(), arena_size_)) {
      snapshot = nullptr;
    }
  }
}

void Recorder::memory_at_op_end(OpState& op, const std::vector<uint8_t>* snapshot, uint64_t cycle) {
  if (stack_painted_) {
    const uint32_t low = scan_stack();
    const bool exact = low < op.stack_high_water_at_begin;
    const uint64_t used = stack_bytes_used(low);
    if (!op.stack_measured || used > op.stack_peak_bytes) {
      op.stack_peak_bytes = used;
      op.stack_exact = exact;
    } else if (used == op.stack_peak_bytes) {
      op.stack_exact = op.stack_exact || exact;
    }
    op.stack_measured = true;
    sample_stack(cycle);
  }
  if (snapshot && arena_size_ &&
      machine_.read_memory(arena_address_, arena_now_.data(), arena_size_)) {
    uint64_t changed = 0;
    for (uint32_t i = 0; i < arena_size_; ++i) changed += arena_now_[i] != (*snapshot)[i];
    op.arena_written_bytes = std::max(op.arena_written_bytes, changed);
    op.arena_measured = true;
  }
}

void Recorder::sample_stack(uint64_t cycle) {
  Timeline& t = stack_timeline_;
  const uint64_t value = stack_bytes_used(stack_high_water_);
  if (!t.stack_high_water_bytes.empty() && t.stack_high_water_bytes.back().value == value) return;
  if (t.stack_high_water_bytes.size() >= options_.max_timeline_slices) {
    t.truncated = true;
    return;
  }
  t.stack_high_water_bytes.push_back({cycle, value});
}

// --- calling-context tree and shadow stack ---

uint32_t Recorder::child(uint32_t parent, int32_t fn) {
  {
    const Node& p = nodes_[parent];
    if (p.last_hit != kNone && nodes_[p.last_hit].fn == fn) return p.last_hit;
    for (uint32_t c = p.first_child; c != kNone; c = nodes_[c].next_sibling) {
      if (nodes_[c].fn == fn) {
        nodes_[parent].last_hit = c;
        return c;
      }
    }
  }
  const auto id = static_cast<uint32_t>(nodes_.size());
  Node n;
  n.fn = fn;
  n.parent = parent;
  n.next_sibling = nodes_[parent].first_child;
  nodes_.push_back(n);
  nodes_[parent].first_child = id;
  nodes_[parent].last_hit = id;
  return id;
}

uint32_t Recorder::root_of_marker_op(uint32_t op) {
  if (op_roots_[op] == kNone) {
    const auto id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(Node{kFnRoot});
    op_roots_[op] = id;
    marker_ops_[op].root_node = id;
  }
  return op_roots_[op];
}

void Recorder::set_frame_fn(size_t depth, int32_t fn, bool call) {
  Frame& f = frames_[depth];
  f.fn = fn;
  const uint32_t parent = depth == 0 ? root_of_marker_op(cur_marker_op_) : frames_[depth - 1].node;
  const uint32_t node = child(parent, fn);
  frames_[depth].node = node;
  if (call && fn >= 0) {
    ++nodes_[node].calls;
    if (fn_inference_[static_cast<size_t>(fn)]) rule_position_ = 0;
    if (rule_active_depth_ < 0 && fn_rule_[static_cast<size_t>(fn)] >= 0) {
      begin_rule_op(depth, fn_rule_[static_cast<size_t>(fn)]);
    }
  }
  if (depth == depth_) sync_top();
}

void Recorder::push_frame(int32_t fn, uint32_t return_address, bool exception) {
  if (depth_ + 1 >= frames_.size()) {
    ++overflow_depth_;
    return;
  }
  ++depth_;
  frames_[depth_] = Frame{fn, 0, return_address, exception, false};
  set_frame_fn(depth_, fn, fn != kFnPending);
}

void Recorder::pop_frames_to(size_t depth) {
  while (depth_ > depth) {
    if (static_cast<long>(depth_) == rule_active_depth_) end_rule_op(expected_cycle_);
    --depth_;
  }
  sync_top();
}

void Recorder::reroot_frames() {
  for (size_t d = 0; d <= depth_; ++d) {
    const uint32_t parent = d == 0 ? root_of_marker_op(cur_marker_op_) : frames_[d - 1].node;
    frames_[d].node = child(parent, frames_[d].fn);
  }
  sync_top();
  if (rule_active_depth_ >= 0) {
    std::vector<uint32_t>& nodes = rule_ops_[cur_rule_op_].nodes;
    const uint32_t node = frames_[static_cast<size_t>(rule_active_depth_)].node;
    if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) nodes.push_back(node);
  }
}

void Recorder::resync(const Slot& slot) {
  if (top_fn_ == kFnPending || slot.fn_entry) {
    // The callee of a BLX, an exception handler's first block, or a tail call (a branch to
    // another function's entry, which returns to our caller).
    set_frame_fn(depth_, slot.fn, true);
    return;
  }
  // A return the exit check did not recognise: back to a caller further down.
  for (size_t d = depth_; d-- > 0 && depth_ - d <= kMaxUnwind;) {
    if (frames_[d].fn == slot.fn) {
      pop_frames_to(d);
      return;
    }
    if (frames_[d].exception) break;
  }
  // A jump into the middle of another function: the frame continues there.
  set_frame_fn(depth_, slot.fn, false);
}

void Recorder::handle_exit(const Slot& slot, ExitKind exit, uint32_t next_address) {
  if (next_address >= kExcReturnBase) return;  // exception return: on_exception_return follows
  if (exit == kExitCall) {
    if (next_address == slot.fallthrough) return;  // a conditional BL not taken
    push_frame(next_address == slot.call_target ? slot.callee_fn : kFnPending, slot.fallthrough,
               false);
    return;
  }
  if (exit != kExitIndirect) return;
  if (overflow_depth_) {
    --overflow_depth_;
    return;
  }
  for (size_t d = depth_; d >= 1 && depth_ - d < kMaxUnwind; --d) {
    if (frames_[d].exception) return;
    if (frames_[d].return_address == next_address) {
      pop_frames_to(d - 1);
      return;
    }
  }
}

// --- the hot path ---

Recorder::Slot& Recorder::slot_for(const sim::RetiredBlock& block) {
  const uint32_t offset = block.start_address - code_base_;
  if (offset / 2 < slot_table_.size()) [[likely]] {
    const uint32_t id = slot_table_[offset / 2];
    if (id) [[likely]]
      return slots_[id - 1];
  } else {
    auto it = other_slots_.find(block.start_address);
    if (it != other_slots_.end()) return slots_[it->second];
  }
  return new_slot(block);
}

void Recorder::switch_marker_op(uint32_t new_op) {
  const power_models::EventCounts now = machine_.event_counts();
  if (marker_events_.size() < marker_acc_.size()) marker_events_.resize(marker_acc_.size());
  marker_events_[cur_marker_op_] += now - marker_events_at_switch_;
  marker_events_at_switch_ = now;
  cur_marker_op_ = new_op;
}

void Recorder::switch_rule_op(uint32_t new_op) {
  const power_models::EventCounts now = machine_.event_counts();
  if (rule_events_.size() < rule_acc_.size()) rule_events_.resize(rule_acc_.size());
  rule_events_[cur_rule_op_] += now - rule_events_at_switch_;
  rule_events_at_switch_ = now;
  cur_rule_op_ = new_op;
}

Recorder::Slot& Recorder::new_slot(const sim::RetiredBlock& block) {
  Slot s;
  s.start = block.start_address;
  s.end = block.end_address;
  s.fallthrough = block.end_address;
  s.fn = info_.function_index_at(block.start_address);
  if (s.fn < 0) s.fn = kFnUnknown;
  s.fn_entry = s.fn >= 0 && info_.functions()[static_cast<size_t>(s.fn)].address == s.start;
  s.callee_fn = kFnPending;
  s.insn_begin = static_cast<uint32_t>(insn_addresses_.size());
  s.insn_count = static_cast<uint32_t>(block.insns.size());
  for (const cpu_models::Instruction& insn : block.insns) {
    insn_addresses_.push_back(insn.address);
    ++s.energy.instructions[static_cast<int>(power_models::energy_class_of(insn.cls))];
  }
  if (block.energy) s.energy.source = block.energy->source;
  if (!block.insns.empty()) {
    const cpu_models::Instruction& last = block.insns.back();
    s.fallthrough = last.address + last.size_bytes;
    s.exit = exit_kind_of(last);
    if (s.exit == kExitCall && last.branch_target) {
      s.call_target = last.branch_target & ~1u;
      const int callee = info_.function_index_at(s.call_target);
      if (callee >= 0) s.callee_fn = callee;
    }
  }
  const auto id = static_cast<uint32_t>(slots_.size());
  slots_.push_back(s);
  const uint32_t offset = block.start_address - code_base_;
  if (offset / 2 < slot_table_.size()) {
    slot_table_[offset / 2] = id + 1;
  } else {
    other_slots_.emplace(block.start_address, id);
  }
  return slots_.back();
}

Recorder::ExitKind Recorder::exit_kind_of(const cpu_models::Instruction& last) {
  switch (last.cls) {
    case InsnClass::kBranchLink:
      return kExitCall;
    case InsnClass::kBranchExchange:
      return (last.regs_written & cpu_models::kLr) ? kExitCall : kExitIndirect;
    case InsnClass::kLoadMultiplePc:
    case InsnClass::kLoadPc:
    case InsnClass::kAluWritesPc:
      return kExitIndirect;
    case InsnClass::kSleep:
      return kExitSleep;
    default:
      return kExitOther;
  }
}

void Recorder::on_block(const sim::RetiredBlock& block) {
  ++blocks_;
  Slot& s = slot_for(block);
  if (s.fn != top_fn_) [[unlikely]]
    resync(s);
  if (block.start_cycle != expected_cycle_) [[unlikely]]
    charge_gap(block.start_cycle, true);
  if (pending_count_) [[unlikely]] {
    split_block_at_markers(block);
  } else {
    charge(block.cycles, block.instructions);
  }
  s.cycles += block.cycles;
  s.instructions += block.instructions;
  ++s.executions;
  expected_cycle_ = block.start_cycle + block.cycles;
  progress_cycles_.store(expected_cycle_, std::memory_order_relaxed);
  last_block_slept_ = s.exit == kExitSleep;
  if (s.exit != kExitOther || block.end_address != s.end) [[unlikely]] {
    if (block.insns.empty() || block.instructions != block.insns.size()) return;  // cut short
    const ExitKind exit = block.end_address == s.end ? s.exit : exit_kind_of(block.insns.back());
    if (exit == kExitCall && block.end_address != s.end) {
      // A block retranslated with another end: no cached callee.
      const cpu_models::Instruction& last = block.insns.back();
      Slot tmp = s;
      tmp.fallthrough = last.address + last.size_bytes;
      tmp.call_target = last.branch_target & ~1u;
      tmp.callee_fn = kFnPending;
      handle_exit(tmp, exit, block.next_address);
      return;
    }
    handle_exit(s, exit, block.next_address);
  }
}

void Recorder::charge_gap(uint64_t until_cycle, bool in_block) {
  if (until_cycle <= expected_cycle_) return;
  const uint64_t gap = until_cycle - expected_cycle_;
  uint32_t node;
  if (gap_to_entry_) {
    node = child(cur_node_, kFnEntry);
  } else if (gap_node_ != kNone) {
    node = gap_node_;
  } else if (last_block_slept_) {
    node = child(cur_node_, kFnSleep);
  } else if (in_block) {
    // Operand-dependent cycles (divides) the machine counts while the block runs, before it
    // retires: they belong to the block's own function.
    node = cur_node_;
  } else {
    node = child(cur_node_, kFnUnattributed);
  }
  gap_to_entry_ = false;
  gap_node_ = kNone;
  const uint32_t saved = cur_node_;
  cur_node_ = node;
  charge(gap, 0);
  cur_node_ = saved;
  expected_cycle_ = until_cycle;
}

void Recorder::split_block_at_markers(const sim::RetiredBlock& block) {
  uint64_t at = block.start_cycle;
  const uint64_t end = block.start_cycle + block.cycles;
  uint64_t instructions_left = block.instructions;
  for (size_t i = 0; i < pending_count_; ++i) {
    const uint64_t cycle = std::clamp(pending_[i].cycle, at, end);
    const uint64_t cycles = cycle - at;
    uint64_t instructions = block.cycles ? block.instructions * cycles / block.cycles : 0;
    instructions = std::min(instructions, instructions_left);
    charge(cycles, instructions);
    instructions_left -= instructions;
    at = cycle;
    switch_marker_op(pending_[i].new_op);
    reroot_frames();
  }
  pending_count_ = 0;
  charge(end - at, instructions_left);
}

// --- events ---

uint32_t Recorder::marker_slot(uint32_t index) {
  if (index < index_to_slot_.size() && index_to_slot_[index] >= 0) {
    return static_cast<uint32_t>(index_to_slot_[index]);
  }
  auto it = extra_index_slots_.find(index);
  if (it != extra_index_slots_.end()) return it->second;
  // An index the table does not describe: an operator without a name.
  const auto slot = static_cast<uint32_t>(marker_acc_.size());
  marker_acc_.push_back({});
  OpState op;
  op.info.index = index;
  op.info.name = fmt::format("op_{}", index);
  op.info.kind = "UNKNOWN";
  marker_ops_.push_back(std::move(op));
  op_roots_.push_back(kNone);
  extra_index_slots_.emplace(index, slot);
  warnings_.push_back(fmt::format(
      "operator index {} is not in the .tinysim_ops table (shown as op_{})", index, index));
  return slot;
}

void Recorder::on_itm_write(uint32_t port, uint32_t value, uint64_t cycle) {
  if (port != 1 && port != 2) return;
  markers_seen_ = true;
  uint32_t new_op;
  if (port == 1) {
    const uint32_t slot = marker_slot(value);
    const bool outermost = marker_depth_ == 0;
    if (marker_depth_ < std::size(marker_stack_)) marker_stack_[marker_depth_++] = slot;
    OpState& op = marker_ops_[slot];
    if (op.invocations++ == 0) op.first_start_cycle = cycle;
    op.open = true;
    op.open_since = cycle;
    memory_at_op_begin(op, outermost ? &arena_snapshot_ : nullptr, cycle);
    new_op = slot;
  } else {
    const uint32_t slot = marker_slot(value);
    size_t at = marker_depth_;
    while (at > 0 && marker_stack_[at - 1] != slot) --at;
    if (at == 0) {
      ++unmatched_markers_;
      return;
    }
    // Operators begun inside this one and never ended end with it.
    while (marker_depth_ >= at) {
      const uint32_t closing = marker_stack_[--marker_depth_];
      OpState& op = marker_ops_[closing];
      if (closing != slot) ++unmatched_markers_;
      op.open = false;
      memory_at_op_end(op, marker_depth_ == 0 ? &arena_snapshot_ : nullptr, cycle);
      record_slice(false, closing, op.open_since, cycle);
      operators_done_.fetch_add(1, std::memory_order_relaxed);
      if (marker_depth_ == 0) break;
    }
    new_op = marker_depth_ ? marker_stack_[marker_depth_ - 1] : 0;
  }
  if (pending_count_ == std::size(pending_)) {
    // More boundaries in one block than we queue: switch now (the block goes to the new op).
    switch_marker_op(new_op);
    reroot_frames();
    return;
  }
  pending_[pending_count_++] = PendingMarker{new_op, cycle};
}

void Recorder::on_exception_entry(int /*exception*/, uint32_t return_address, uint64_t cycle) {
  charge_gap(cycle);  // sleep before the exception, if any
  push_frame(kFnPending, return_address, true);
  gap_to_entry_ = true;
  gap_node_ = kNone;
}

void Recorder::on_exception_return(int /*exception*/, uint32_t /*resume_address*/, uint64_t cycle) {
  charge_gap(cycle);
  size_t d = depth_;
  while (d > 0 && !frames_[d].exception) --d;
  if (d == 0) return;  // entered before we watched, or the stack was lost
  gap_node_ = child(frames_[d].node, kFnExit);
  gap_to_entry_ = false;
  pop_frames_to(d - 1);
}

// --- rule operators ---

void Recorder::begin_rule_op(size_t depth, int rule) {
  const auto key = std::pair{rule_position_, rule};
  auto it = rule_op_slots_.find(key);
  uint32_t slot;
  if (it == rule_op_slots_.end()) {
    slot = static_cast<uint32_t>(rule_acc_.size());
    rule_acc_.push_back({});
    OpState op;
    const Rule& r = options_.rules.rules()[static_cast<size_t>(rule)];
    op.info.index = rule_position_;
    op.info.kind = r.kind;
    op.info.name = fmt::format("{}_{}", lower(r.kind), rule_position_);
    op.function = fn_name(frames_[depth].fn);
    rule_ops_.push_back(std::move(op));
    rule_op_slots_.emplace(key, slot);
  } else {
    slot = it->second;
  }
  ++rule_position_;
  OpState& op = rule_ops_[slot];
  if (op.invocations++ == 0) op.first_start_cycle = expected_cycle_;
  op.open = true;
  op.open_since = expected_cycle_;
  const uint32_t node = frames_[depth].node;
  if (std::find(op.nodes.begin(), op.nodes.end(), node) == op.nodes.end()) {
    op.nodes.push_back(node);
  }
  memory_at_op_begin(op, &arena_rule_snapshot_, expected_cycle_);
  switch_rule_op(slot);
  rule_active_depth_ = static_cast<long>(depth);
  frames_[depth].begins_rule_op = true;
}

void Recorder::end_rule_op(uint64_t cycle) {
  OpState& op = rule_ops_[cur_rule_op_];
  op.open = false;
  memory_at_op_end(op, &arena_rule_snapshot_, cycle);
  record_slice(true, cur_rule_op_, op.open_since, cycle);
  if (!markers_seen_) operators_done_.fetch_add(1, std::memory_order_relaxed);
  frames_[static_cast<size_t>(rule_active_depth_)].begins_rule_op = false;
  switch_rule_op(0);
  rule_active_depth_ = -1;
}

void Recorder::record_slice(bool rules, uint32_t op, uint64_t start, uint64_t end) {
  Timeline& t = rules ? rule_timeline_ : marker_timeline_;
  if (t.operators.size() >= options_.max_timeline_slices) {
    t.truncated = true;
    return;
  }
  t.operators.push_back({op, start, end});
}

std::string Recorder::fn_name(int32_t fn) const {
  switch (fn) {
    case kFnUnknown:
      return "[unknown code]";
    case kFnPending:
      return "[pending]";
    case kFnSleep:
      return "[sleep]";
    case kFnEntry:
      return "[exception entry]";
    case kFnExit:
      return "[exception exit]";
    case kFnUnattributed:
      return "[unattributed]";
    case kFnRoot:
      return "[root]";
    default:
      return info_.functions()[static_cast<size_t>(fn)].name;
  }
}

}  // namespace tinysim::profiler
