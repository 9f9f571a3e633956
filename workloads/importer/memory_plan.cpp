#include "workloads/importer/memory_plan.h"

#include <tinysim/nn.h>

#include <algorithm>
#include <numeric>

namespace tinysim::importer {
namespace {

ts_shape to_ts(const Shape4& s) {
  return ts_shape{s.n, s.h, s.w, s.c};
}

ts_conv_params conv_params(const KernelCall& call) {
  ts_conv_params p{};
  p.stride_h = call.stride_h;
  p.stride_w = call.stride_w;
  p.pad_h = call.pad_h;
  p.pad_w = call.pad_w;
  p.dilation_h = call.dilation_h;
  p.dilation_w = call.dilation_w;
  p.input_offset = call.input_offset;
  p.output_offset = call.output_offset;
  p.act_min = call.act.min;
  p.act_max = call.act.max;
  return p;
}

// The kernel library's own answer; the library guarantees the same size in every build.
int64_t scratch_bytes(const KernelCall& call) {
  const ts_shape in = to_ts(call.in_shape);
  const ts_shape filter = to_ts(call.filter_shape);
  const ts_shape out = to_ts(call.out_shape);
  switch (call.kind) {
    case KernelKind::kConv2D: {
      const ts_conv_params p = conv_params(call);
      return static_cast<int64_t>(ts_conv2d_s8_scratch_bytes(&p, &in, &filter, &out));
    }
    case KernelKind::kDepthwiseConv2D: {
      ts_dw_conv_params p{};
      p.conv = conv_params(call);
      p.depth_multiplier = call.depth_multiplier;
      return static_cast<int64_t>(ts_depthwise_conv2d_s8_scratch_bytes(&p, &in, &filter, &out));
    }
    case KernelKind::kFullyConnected:
      return static_cast<int64_t>(
          ts_fully_connected_s8_scratch_bytes(call.in_depth, call.out_depth));
    default:
      return 0;
  }
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int32_t find(int32_t x) {
    while (parent_[static_cast<size_t>(x)] != x) {
      parent_[static_cast<size_t>(x)] =
          parent_[static_cast<size_t>(parent_[static_cast<size_t>(x)])];
      x = parent_[static_cast<size_t>(x)];
    }
    return x;
  }
  void unite(int32_t keep, int32_t other) {
    parent_[static_cast<size_t>(find(other))] = find(keep);
  }

 private:
  std::vector<int32_t> parent_;
};

// Definition and last read of every activation, in operator indices. The model input is
// defined "before" operator 0 (-1 here); unread tensors die where they are defined.
struct Lifetimes {
  std::vector<int32_t> def;
  std::vector<int32_t> last;
  std::vector<bool> active;
};

Lifetimes compute_lifetimes(const LoweredGraph& lowered) {
  const size_t n = lowered.graph->tensors.size();
  Lifetimes l{std::vector<int32_t>(n, 0), std::vector<int32_t>(n, -1), std::vector<bool>(n, false)};
  l.def[static_cast<size_t>(lowered.input)] = -1;
  l.active[static_cast<size_t>(lowered.input)] = true;
  for (size_t k = 0; k < lowered.calls.size(); ++k) {
    const KernelCall& call = lowered.calls[k];
    for (const int32_t t : {call.input, call.input2}) {
      if (t < 0) continue;
      l.last[static_cast<size_t>(t)] = static_cast<int32_t>(k);
    }
    l.def[static_cast<size_t>(call.output)] = static_cast<int32_t>(k);
    l.active[static_cast<size_t>(call.output)] = true;
  }
  // The model output is needed after the last operator: nothing may overwrite it.
  l.last[static_cast<size_t>(lowered.output)] = static_cast<int32_t>(lowered.calls.size());
  for (size_t t = 0; t < n; ++t) l.last[t] = std::max(l.last[t], l.def[t]);
  return l;
}

}  // namespace

MemoryPlan plan_memory(const LoweredGraph& lowered, const PlanOptions& options) {
  const Graph& graph = *lowered.graph;
  const size_t n = graph.tensors.size();
  const Lifetimes life = compute_lifetimes(lowered);
  auto bytes = [&](int32_t t) { return graph.tensors[static_cast<size_t>(t)].byte_size(); };

  MemoryPlan plan;
  plan.tensors.assign(n, TensorLocation{});
  plan.reshape_copies.assign(lowered.calls.size(), false);

  // 1. Storage groups.
  UnionFind groups(n);
  std::vector<int32_t> group_last(life.last);  // per root: last read of any member
  auto holds_input = [&](int32_t t) { return groups.find(t) == groups.find(lowered.input); };
  auto holds_output = [&](int32_t t) { return groups.find(t) == groups.find(lowered.output); };
  auto merge = [&](int32_t keep, int32_t other) {
    const int32_t last = std::max(group_last[static_cast<size_t>(groups.find(keep))],
                                  group_last[static_cast<size_t>(groups.find(other))]);
    groups.unite(keep, other);
    group_last[static_cast<size_t>(groups.find(keep))] = last;
  };
  for (size_t k = 0; k < lowered.calls.size(); ++k) {
    const KernelCall& call = lowered.calls[k];
    const int32_t out = call.output;
    // The model input and output never share a group: the input is copied into the arena,
    // the output lives in the caller's buffer.
    auto can_join = [&](int32_t in) {
      return !((holds_input(in) && out == lowered.output) ||
               (holds_output(in) && holds_input(out)));
    };
    if (call.kind == KernelKind::kReshape) {
      if (options.alias_reshape && can_join(call.input)) {
        merge(call.input, out);
      } else {
        plan.reshape_copies[k] = true;
      }
      continue;
    }
    if (!options.in_place) continue;
    if (call.kind != KernelKind::kAdd && call.kind != KernelKind::kSoftmax) continue;
    for (const int32_t in : {call.input, call.input2}) {
      if (in < 0) continue;
      const int32_t root = groups.find(in);
      if (group_last[static_cast<size_t>(root)] != static_cast<int32_t>(k)) continue;
      if (bytes(in) != bytes(out) || !can_join(in)) continue;
      merge(in, out);
      break;
    }
  }

  // 2. Collect the groups of activations.
  std::vector<int32_t> group_index(n, -1);
  for (size_t t = 0; t < n; ++t) {
    if (!life.active[t]) continue;
    const auto root = static_cast<size_t>(groups.find(static_cast<int32_t>(t)));
    if (group_index[root] < 0) {
      group_index[root] = static_cast<int32_t>(plan.groups.size());
      StorageGroup g;
      g.first = life.def[t];
      g.last = life.last[t];
      plan.groups.push_back(g);
    }
    StorageGroup& g = plan.groups[static_cast<size_t>(group_index[root])];
    g.tensors.push_back(static_cast<int32_t>(t));
    g.size = std::max(g.size, bytes(static_cast<int32_t>(t)));
    g.first = std::min(g.first, life.def[t]);
    g.last = std::max(g.last, life.last[t]);
    if (static_cast<int32_t>(t) == lowered.output) g.placement = Placement::kOutput;
    plan.tensors[t].group = group_index[root];
  }

  // 3. Arena allocations: groups, then one scratch buffer per operator that needs one.
  for (StorageGroup& g : plan.groups) {
    if (g.placement != Placement::kArena) continue;
    g.allocation = static_cast<int32_t>(plan.allocations.size());
    // The copy of the model input happens before operator 0: treat it as live from 0.
    plan.allocations.push_back(Allocation{g.size, std::max(g.first, 0), std::max(g.last, 0), -1});
    plan.unshared_bytes += g.size;
  }
  for (size_t k = 0; k < lowered.calls.size(); ++k) {
    const int64_t scratch = scratch_bytes(lowered.calls[k]);
    plan.scratch_bytes.push_back(scratch);
    plan.scratch_offset.push_back(-1);
    if (scratch > 0) {
      const auto kk = static_cast<int32_t>(k);
      plan.allocations.push_back(Allocation{scratch, kk, kk, -1});
      plan.unshared_bytes += scratch;
    }
  }
  plan.arena_bytes = plan_arena(plan.allocations, options.alignment);

  // 4. Resolve locations.
  for (const StorageGroup& g : plan.groups) {
    for (const int32_t t : g.tensors) {
      TensorLocation& loc = plan.tensors[static_cast<size_t>(t)];
      loc.placement = g.placement;
      loc.offset = g.placement == Placement::kArena
                       ? plan.allocations[static_cast<size_t>(g.allocation)].offset
                       : 0;
    }
  }
  size_t next_scratch =
      plan.allocations.size() -
      static_cast<size_t>(std::count_if(plan.scratch_bytes.begin(), plan.scratch_bytes.end(),
                                        [](int64_t s) { return s > 0; }));
  for (size_t k = 0; k < lowered.calls.size(); ++k) {
    if (plan.scratch_bytes[k] > 0) plan.scratch_offset[k] = plan.allocations[next_scratch++].offset;
  }
  return plan;
}

std::optional<std::string> check_memory_plan(const LoweredGraph& lowered, const MemoryPlan& plan) {
  // An independent check: recompute lifetimes from the calls and test every write against
  // every tensor that still holds needed data, using only the final locations.
  const Graph& graph = *lowered.graph;
  const Lifetimes life = compute_lifetimes(lowered);
  const int64_t output_bytes = graph.tensors[static_cast<size_t>(lowered.output)].byte_size();
  struct Range {
    Placement placement;
    int64_t begin, end;
  };
  auto range_of = [&](int32_t t) {
    const TensorLocation& loc = plan.tensors[static_cast<size_t>(t)];
    const int64_t size = graph.tensors[static_cast<size_t>(t)].byte_size();
    return Range{loc.placement, loc.offset, loc.offset + size};
  };
  auto overlap = [](const Range& a, const Range& b) {
    return a.placement == b.placement && a.begin < b.end && b.begin < a.end;
  };
  auto name = [&](int32_t t) { return describe_tensor(graph, t); };

  for (size_t t = 0; t < graph.tensors.size(); ++t) {
    if (!life.active[t]) continue;
    const Range r = range_of(static_cast<int32_t>(t));
    if (r.placement == Placement::kNone) return name(static_cast<int32_t>(t)) + " has no location";
    const int64_t limit = r.placement == Placement::kArena ? plan.arena_bytes : output_bytes;
    if (r.begin < 0 || r.end > limit)
      return name(static_cast<int32_t>(t)) + " lies outside its buffer";
    if (r.placement == Placement::kArena && r.begin % 4 != 0) {
      return name(static_cast<int32_t>(t)) + " is not 4-byte aligned";
    }
  }

  for (size_t k = 0; k < lowered.calls.size(); ++k) {
    const KernelCall& call = lowered.calls[k];
    const auto kk = static_cast<int32_t>(k);
    const std::string where = describe_operator(graph, call.op_index) + ": ";
    const Range out = range_of(call.output);
    const bool aliased_reshape = call.kind == KernelKind::kReshape && !plan.reshape_copies[k];
    if (aliased_reshape) {
      const Range in = range_of(call.input);
      if (in.placement != out.placement || in.begin != out.begin) {
        return where + "aliased RESHAPE output is not at its input";
      }
    }
    // Tensors holding data needed during or after this operator.
    for (size_t t = 0; t < graph.tensors.size(); ++t) {
      const auto x = static_cast<int32_t>(t);
      if (!life.active[t] || x == call.output) continue;
      if (!(life.def[t] < kk && life.last[t] >= kk)) continue;
      const Range rx = range_of(x);
      if (plan.scratch_offset[k] >= 0) {
        const Range scratch{Placement::kArena, plan.scratch_offset[k],
                            plan.scratch_offset[k] + plan.scratch_bytes[k]};
        if (overlap(scratch, rx)) return where + "scratch overlaps " + name(x);
      }
      if (aliased_reshape || !overlap(out, rx)) continue;
      const bool in_place_ok =
          (call.kind == KernelKind::kAdd || call.kind == KernelKind::kSoftmax) &&
          (x == call.input || x == call.input2) && life.last[t] == kk && rx.begin == out.begin &&
          rx.placement == out.placement;
      if (!in_place_ok) {
        return where + "output " + name(call.output) + " overwrites " + name(x) +
               " which is still needed (until operator " + std::to_string(life.last[t]) + ")";
      }
    }
    if (plan.scratch_offset[k] >= 0) {
      const Range scratch{Placement::kArena, plan.scratch_offset[k],
                          plan.scratch_offset[k] + plan.scratch_bytes[k]};
      if (overlap(scratch, out)) return where + "scratch overlaps the output";
      if (scratch.end > plan.arena_bytes) return where + "scratch lies outside the arena";
    }
  }
  return find_conflict(plan.allocations);
}

}  // namespace tinysim::importer
