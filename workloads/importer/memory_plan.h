// Memory plan: where every activation tensor and scratch buffer of a lowered graph lives.
//
// Tensors that may share storage are first grouped:
//  - RESHAPE output aliases its input (same bytes, new shape): no copy, no memory;
//  - ADD and SOFTMAX may write their output over an input that dies at that operator
//    (the kernels allow out == in), when `in_place` is set.
// A group is then placed either at the caller's output buffer (the group holding the model
// output: kernels write it directly) or in the tensor arena. The model input's group is in the
// arena too: invoke() copies the caller's input there unless the caller wrote it in place
// (<model>_input_buffer()). Groups and per-operator scratch buffers get arena offsets from
// plan_arena() (arena_planner.h), with lifetimes in operator indices.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workloads/importer/arena_planner.h"
#include "workloads/importer/lowering.h"

namespace tinysim::importer {

struct PlanOptions {
  // Alignment of every arena buffer in bytes (power of two). 16 keeps 32-bit loads and
  // SIMD-friendly strides aligned on every core; 4 is the minimum the kernels accept.
  int64_t alignment = 16;
  // Let ADD and SOFTMAX overwrite a dying input. Off: every tensor gets its own buffer
  // (useful to debug a kernel suspected of mishandling in-place operation).
  bool in_place = true;
  // Alias RESHAPE outputs to their inputs. Off: RESHAPE copies.
  bool alias_reshape = true;
};

enum class Placement {
  kNone,    // not an activation (constant, unused)
  kArena,   // arena + offset
  kOutput,  // the caller's output buffer + offset (always 0)
};

struct TensorLocation {
  Placement placement = Placement::kNone;
  int64_t offset = 0;
  int32_t group = -1;  // storage group (index into MemoryPlan::groups)
};

struct StorageGroup {
  std::vector<int32_t> tensors;  // member tensor indices
  int64_t size = 0;              // bytes
  int32_t first = 0;             // lifetime in operator indices, inclusive
  int32_t last = 0;
  Placement placement = Placement::kArena;
  int32_t allocation = -1;  // index into MemoryPlan::allocations when in the arena
};

struct MemoryPlan {
  std::vector<TensorLocation> tensors;  // indexed like Graph::tensors
  std::vector<StorageGroup> groups;
  std::vector<Allocation> allocations;  // arena buffers: groups in the arena, then scratch
  std::vector<int64_t> scratch_bytes;   // per kernel call
  std::vector<int64_t> scratch_offset;  // per kernel call; -1 when it needs none
  std::vector<bool> reshape_copies;     // per kernel call: RESHAPE that copies (not aliased)
  int64_t arena_bytes = 0;
  int64_t unshared_bytes = 0;  // arena bytes if nothing were shared (for the summary)
};

// Plans `lowered`. The scratch sizes come from the kernel library's *_scratch_bytes().
MemoryPlan plan_memory(const LoweredGraph& lowered, const PlanOptions& options = {});

// Checks a plan against the graph: every arena buffer live at an operator is disjoint from
// every other one live then, except the in-place pairs the kernels allow, and every buffer
// lies inside the arena. nullopt when valid.
std::optional<std::string> check_memory_plan(const LoweredGraph& lowered, const MemoryPlan& plan);

}  // namespace tinysim::importer
