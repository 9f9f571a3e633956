// Recorder: the profiler's sim::ExecutionObserver. It attributes every executed block to its
// operator, function (with the calling context) and, at the end, source lines, and measures the
// stack, heap and tensor arena; finish() turns that into a Profile.
//
// Hot path (on_block, once per executed block): an O(1) slot lookup by block address (a direct
// table over the ELF's code), a handful of additions into the current calling-context node,
// operator and block slot, and a call/return check on the block's last instruction. Nothing is
// allocated there once every block and calling context has been seen.
//
// Operators: ITM markers (port 1 begin, port 2 end, docs/markers.md) with the .tinysim_ops
// table; for firmware without markers, the outermost call of a function matching an operator
// rule (profiler/rules.h). Both are tracked; markers win when any fired.
//
// Functions: a shadow call stack. BL/BLX push a frame with the return address; BX LR,
// POP {..,PC}, LDR PC and MOV PC pop the frame whose return address is where execution went;
// exception entry and return push and pop too. When a block's function is not the top frame's,
// the stack resynchronises: the block at a function's entry replaces the top frame (a tail call),
// a function further down the stack pops to it (a missed return), anything else relabels the top
// frame. Cycles always go to the function the block lies in, so exclusive cycles sum to the total
// (sleep and exception entry/exit latency appear as pseudo functions "[sleep]",
// "[exception entry]", "[exception exit]").
//
// Memory: the stack and heap regions are painted with a pattern when the recorder is created;
// at every operator boundary and at the end the stack is scanned for its high-water mark and the
// arena compared with a snapshot taken at the operator's start. Firmware whose start-up code
// clears all of RAM defeats painting (reported as not measured).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "power_models/event_counts.h"
#include "profiler/firmware_info.h"
#include "profiler/operator_table.h"
#include "profiler/profile.h"
#include "profiler/rules.h"
#include "sim/execution_observer.h"
#include "sim/machine.h"
#include "sim/run_result.h"
#include "sim/status.h"

namespace tinysim::profiler {

struct RecorderOptions {
  // Paint the stack and heap before the run to measure their high-water marks. Turn off for
  // firmware that must see zeroed uninitialised memory (painting changes what it reads).
  bool paint_memory = true;
  // Stack size assumed below the initial SP when the ELF has no __stack_limit/__stack_top
  // symbols (bounded by the start of SRAM and the end of the RAM sections below the SP).
  uint32_t default_stack_bytes = 8192;
  // Object whose changed bytes count as "arena written" per operator. "": the largest object
  // named "tensor_arena" or "*_arena" (tinysim import names it <model>_arena).
  std::string arena_symbol;
  // Rules for firmware without markers. Default: the built-in rules.
  RuleSet rules = RuleSet::builtin();
  // Hottest source lines kept in the profile, and instructions disassembled per line.
  size_t max_lines = 200;
  size_t max_disassembly_per_line = 16;
  // Operator executions kept for the timeline (Chrome trace); later ones are counted only.
  size_t max_timeline_slices = 200000;
  // Shadow call stack capacity; deeper calls are counted but not attributed to new frames.
  size_t max_call_depth = 1024;
  // Tool version written into the profile.
  std::string tool_version = "unknown";
};

class Recorder final : public sim::ExecutionObserver {
 public:
  // Prepares attribution for `machine` running `info`'s firmware and paints memory.
  // REQUIRES: machine and info outlive the recorder; call before machine.run(); then
  // machine.set_observer(recorder). kInvalidFirmware for a malformed operator table.
  static StatusOr<std::unique_ptr<Recorder>> create(sim::Machine& machine, const FirmwareInfo& info,
                                                    RecorderOptions options = {});
  ~Recorder() override;

  // Builds the profile once run() has returned `result`. Call once.
  Profile finish(const sim::RunResult& result);

  // Progress for a front end, readable from any thread while the machine runs.
  uint64_t progress_cycles() const { return progress_cycles_.load(std::memory_order_relaxed); }
  uint64_t operators_done() const { return operators_done_.load(std::memory_order_relaxed); }
  // Operators in the table (0 without markers).
  size_t operator_count() const { return table_.size(); }

  // sim::ExecutionObserver
  void on_block(const sim::RetiredBlock& block) override;
  void on_itm_write(uint32_t port, uint32_t value, uint64_t cycle) override;
  void on_exception_entry(int exception, uint32_t return_address, uint64_t cycle) override;
  void on_exception_return(int exception, uint32_t resume_address, uint64_t cycle) override;

 private:
  Recorder(sim::Machine& machine, const FirmwareInfo& info, RecorderOptions options);

  static constexpr uint32_t kNone = UINT32_MAX;

  enum ExitKind : uint8_t {
    kExitOther,     // falls through or branches within reach: nothing to track
    kExitCall,      // BL, BLX
    kExitIndirect,  // BX, POP {..PC}, LDR PC, MOV PC: a return when it goes to a frame's return
    kExitSleep,     // WFI, WFE
  };

  // One per distinct block start address.
  struct Slot {
    uint32_t start = 0;
    uint32_t end = 0;
    uint32_t fallthrough = 0;  // address after the last instruction
    uint32_t call_target = 0;  // BL: the callee's address
    int32_t fn = 0;            // function id (see kFn*), the function the block lies in
    int32_t callee_fn = 0;     // BL: the callee's function id; else kFnPending
    ExitKind exit = kExitOther;
    bool fn_entry = false;  // the block starts at its function's first instruction
    uint32_t insn_begin = 0, insn_count = 0;  // into insn_addresses_
    uint64_t cycles = 0, instructions = 0, executions = 0;
    power_models::BlockEnergyCounts energy;  // the whole block's, for per-function energy
  };

  // A node of the calling-context tree: one per distinct (operator, call path).
  struct Node {
    int32_t fn = 0;
    uint32_t parent = kNone;
    uint32_t first_child = kNone;
    uint32_t next_sibling = kNone;
    uint32_t last_hit = kNone;  // the child found last (call sites repeat)
    uint64_t cycles = 0, instructions = 0, calls = 0;
  };

  struct Frame {
    int32_t fn = 0;
    uint32_t node = 0;
    uint32_t return_address = 0;
    bool exception = false;       // pushed by exception entry
    bool begins_rule_op = false;  // a rule operator began with this frame
  };

  // Hot accumulators of an operator (markers: one per table entry; rules: one per position).
  struct OpAccumulator {
    uint64_t cycles = 0, instructions = 0;
  };

  // The rest of an operator's state (touched at its boundaries only).
  struct OpState {
    OperatorInfo info;
    std::string function;  // rules
    uint64_t invocations = 0;
    uint64_t first_start_cycle = 0;
    uint64_t open_since = 0;  // start cycle of the running execution
    bool open = false;
    bool ever_incomplete = false;
    uint64_t stack_peak_bytes = 0;
    bool stack_measured = false;
    bool stack_exact = true;
    uint64_t arena_written_bytes = 0;
    bool arena_measured = false;
    uint32_t stack_high_water_at_begin = 0;  // lowest stack address written, at begin
    uint32_t root_node = kNone;              // markers: the op's calling-context root
    std::vector<uint32_t> nodes;             // rules: the nodes of the frames that began it
  };

  // An operator boundary seen mid-block: from `cycle` on, cycles go to operator `new_op`.
  struct PendingMarker {
    uint32_t new_op;
    uint64_t cycle;
  };

  Slot& slot_for(const sim::RetiredBlock& block);
  Slot& new_slot(const sim::RetiredBlock& block);
  void charge(uint64_t cycles, uint64_t instructions) {
    Node& n = nodes_[cur_node_];
    n.cycles += cycles;
    n.instructions += instructions;
    OpAccumulator& m = marker_acc_[cur_marker_op_];
    m.cycles += cycles;
    m.instructions += instructions;
    OpAccumulator& r = rule_acc_[cur_rule_op_];
    r.cycles += cycles;
    r.instructions += instructions;
  }
  // Charges the cycles between the last block (or event) and `until_cycle`: exception latency,
  // sleep, or (`in_block`, no event in between) cycles the machine counted for the block about
  // to retire before its start stamp.
  void charge_gap(uint64_t until_cycle, bool in_block = false);
  void split_block_at_markers(const sim::RetiredBlock& block);
  void resync(const Slot& slot);
  void handle_exit(const Slot& slot, ExitKind exit, uint32_t next_address);
  static ExitKind exit_kind_of(const cpu_models::Instruction& last);

  uint32_t child(uint32_t parent, int32_t fn);
  uint32_t root_of_marker_op(uint32_t op);
  void push_frame(int32_t fn, uint32_t return_address, bool exception);
  void pop_frames_to(size_t depth);  // leaves frames_[0..depth] on the stack
  // Sets frame `depth`'s function (and node); `call` counts a call of it.
  void set_frame_fn(size_t depth, int32_t fn, bool call);
  void reroot_frames();
  void sync_top() {
    cur_node_ = frames_[depth_].node;
    top_fn_ = frames_[depth_].fn;
  }

  void apply_marker(const PendingMarker& marker, uint64_t cycle);
  // Operator switches: the machine's event counts since the last switch go to the operator
  // that was current (energy per operator; O(1), at boundaries only).
  void switch_marker_op(uint32_t new_op);
  void switch_rule_op(uint32_t new_op);
  // finish() helper: energy, stall and cache metrics of the total, operators and functions.
  void build_energy(Profile& p, const sim::RunResult& result, bool rules);
  uint32_t marker_slot(uint32_t index);
  void begin_rule_op(size_t depth, int rule);
  void end_rule_op(uint64_t cycle);
  void record_slice(bool rules, uint32_t op, uint64_t start, uint64_t end);

  // Memory measurements.
  void paint();
  uint32_t scan_stack();  // the lowest written stack address (stack_top_ if none)
  uint64_t stack_bytes_used(uint32_t low) const { return stack_top_ - low; }
  uint64_t scan_heap();  // heap bytes written from its start
  // `snapshot`: the arena copy to take (begin) or compare with (end); nullptr for none.
  void memory_at_op_begin(OpState& op, std::vector<uint8_t>* snapshot, uint64_t cycle);
  void memory_at_op_end(OpState& op, const std::vector<uint8_t>* snapshot, uint64_t cycle);
  void sample_stack(uint64_t cycle);
  // finish() helpers.
  void build_operators(Profile& p, bool rules);
  void build_functions_and_stacks(Profile& p);
  void build_lines(Profile& p);
  void build_memory(Profile& p);

  std::string fn_name(int32_t fn) const;

  sim::Machine& machine_;
  const FirmwareInfo& info_;
  RecorderOptions options_;

  // --- hot state ---
  std::vector<uint32_t> slot_table_;  // (address - code_base_) / 2 -> slot index + 1
  uint32_t code_base_ = 0;
  std::unordered_map<uint32_t, uint32_t> other_slots_;  // blocks outside the table
  std::vector<Slot> slots_;
  std::vector<uint32_t> insn_addresses_;
  std::vector<Node> nodes_;
  std::vector<Frame> frames_;
  size_t depth_ = 0;             // index of the top frame
  uint64_t overflow_depth_ = 0;  // calls beyond max_call_depth
  uint32_t cur_node_ = 0;
  int32_t top_fn_ = 0;
  uint32_t cur_marker_op_ = 0;  // slot in marker_acc_ (0: outside operators)
  uint32_t cur_rule_op_ = 0;    // slot in rule_acc_ (0: outside operators)
  std::vector<OpAccumulator> marker_acc_;
  std::vector<OpAccumulator> rule_acc_;
  // Energy-model event counts per operator slot (index as marker_acc_ / rule_acc_), and the
  // machine's counts at the last switch.
  std::vector<power_models::EventCounts> marker_events_;
  std::vector<power_models::EventCounts> rule_events_;
  power_models::EventCounts marker_events_at_switch_;
  power_models::EventCounts rule_events_at_switch_;
  uint64_t expected_cycle_ = 0;  // end of the last block (or event)
  uint32_t gap_node_ = kNone;    // where the next gap goes (exception entry/exit latency)
  bool gap_to_entry_ = false;    // the next gap is exception entry latency of the top frame
  bool last_block_slept_ = false;
  PendingMarker pending_[16];
  size_t pending_count_ = 0;
  uint64_t blocks_ = 0;
  std::atomic<uint64_t> progress_cycles_{0};
  std::atomic<uint64_t> operators_done_{0};

  // --- operators ---
  std::vector<OperatorInfo> table_;
  std::vector<int32_t> index_to_slot_;              // marker index -> slot (table indices)
  std::map<uint32_t, uint32_t> extra_index_slots_;  // marker indices not in the table
  std::vector<OpState> marker_ops_;                 // slot -> state (slot 0 unused)
  uint32_t marker_stack_[32];
  size_t marker_depth_ = 0;
  bool markers_seen_ = false;
  std::vector<uint32_t> op_roots_;  // marker slot -> root node (0: outside)

  std::vector<int16_t> fn_rule_;       // function -> operator rule index, or -1
  std::vector<uint8_t> fn_inference_;  // function -> starts an inference
  std::vector<OpState> rule_ops_;      // slot -> state (slot 0 unused)
  std::map<std::pair<uint32_t, int>, uint32_t> rule_op_slots_;  // (position, rule) -> slot
  uint32_t rule_position_ = 0;
  long rule_active_depth_ = -1;
  uint64_t rule_op_start_ = 0;

  // --- memory ---
  uint32_t stack_low_ = 0, stack_top_ = 0;
  std::string stack_bounds_from_;
  bool stack_painted_ = false;
  uint32_t stack_high_water_ = 0;  // lowest written stack address seen so far
  uint32_t heap_low_ = 0, heap_high_ = 0;
  bool heap_painted_ = false;
  uint32_t arena_address_ = 0, arena_size_ = 0;
  std::string arena_name_;
  std::vector<uint8_t> arena_snapshot_, arena_rule_snapshot_, arena_now_;
  std::vector<uint32_t> scan_buffer_;

  Timeline marker_timeline_, rule_timeline_, stack_timeline_;
  std::vector<uint64_t> subtree_cycles_;  // finish(): per node, itself and its descendants
  std::vector<uint64_t> subtree_instructions_;
  std::vector<std::string> warnings_;
  uint64_t unmatched_markers_ = 0;
};

}  // namespace tinysim::profiler
