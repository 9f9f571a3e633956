// The arena planner's properties on random problems, and the memory plans of the bundled models
// (never overlapping live tensors, in-place reuse and RESHAPE aliasing where legal).
#include "workloads/importer/memory_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/importer/model_files.h"
#include "workloads/importer/arena_planner.h"
#include "workloads/importer/tflite_reader.h"

namespace tinysim::importer {
namespace {

using testing::model_path;

// The largest total of simultaneously live (aligned) sizes: no plan can be smaller.
int64_t live_lower_bound(const std::vector<Allocation>& allocations, int64_t alignment) {
  int32_t last = 0;
  for (const Allocation& a : allocations) last = std::max(last, a.last);
  int64_t bound = 0;
  for (int32_t k = 0; k <= last; ++k) {
    int64_t live = 0;
    for (const Allocation& a : allocations) {
      if (a.first <= k && k <= a.last) live += (a.size + alignment - 1) / alignment * alignment;
    }
    bound = std::max(bound, live);
  }
  return bound;
}

TEST(ArenaPlanner, RandomProblemsGiveValidCompactPlans) {
  std::mt19937 random(42);
  for (int trial = 0; trial < 500; ++trial) {
    std::uniform_int_distribution<int> count(1, 40);
    std::uniform_int_distribution<int32_t> op(0, 30);
    std::uniform_int_distribution<int64_t> size(0, 5000);
    std::vector<Allocation> allocations(static_cast<size_t>(count(random)));
    int64_t total = 0;
    for (Allocation& a : allocations) {
      a.first = op(random);
      a.last = std::min(30, a.first + op(random) / 4);
      a.size = size(random);
      total += (a.size + 15) / 16 * 16;
    }
    const int64_t arena = plan_arena(allocations, 16);
    ASSERT_FALSE(find_conflict(allocations).has_value()) << *find_conflict(allocations);
    for (const Allocation& a : allocations) {
      EXPECT_EQ(a.offset % 16, 0);
      EXPECT_LE(a.offset + a.size, arena);
    }
    EXPECT_EQ(arena % 16, 0);
    EXPECT_GE(arena, live_lower_bound(allocations, 16));
    EXPECT_LE(arena, total);
  }
}

TEST(ArenaPlanner, ChainReusesMemory) {
  // a -> b -> c -> d, each live for two consecutive operators: two buffers suffice.
  std::vector<Allocation> chain = {
      {1000, 0, 1, -1}, {1000, 1, 2, -1}, {1000, 2, 3, -1}, {1000, 3, 4, -1}};
  EXPECT_EQ(plan_arena(chain, 8), 2000);
  EXPECT_EQ(chain[0].offset, chain[2].offset);
  EXPECT_EQ(chain[1].offset, chain[3].offset);
}

TEST(ArenaPlanner, FindConflictDetectsOverlap) {
  std::vector<Allocation> bad = {{100, 0, 2, 0}, {100, 2, 3, 50}};
  EXPECT_TRUE(find_conflict(bad).has_value());
  bad[1].offset = 100;
  EXPECT_FALSE(find_conflict(bad).has_value());
  bad[1] = {100, 3, 4, 0};  // same bytes, disjoint lifetimes
  EXPECT_FALSE(find_conflict(bad).has_value());
}

struct ModelPlan {
  Graph graph;
  LoweredGraph lowered;
  MemoryPlan plan;
};

ModelPlan plan_model(const std::string& model, const PlanOptions& options = {}) {
  ModelPlan m{read_tflite_file(model_path(model)), {}, {}};
  m.lowered = lower(m.graph);
  m.plan = plan_memory(m.lowered, options);
  return m;
}

TEST(MemoryPlan, BundledModelsHaveValidPlansAtTheLowerBound) {
  for (const std::string& model : testing::bundled_models()) {
    SCOPED_TRACE(model);
    for (const bool in_place : {true, false}) {
      for (const bool alias : {true, false}) {
        PlanOptions options;
        options.in_place = in_place;
        options.alias_reshape = alias;
        const ModelPlan m = plan_model(model, options);
        const auto conflict = check_memory_plan(m.lowered, m.plan);
        EXPECT_FALSE(conflict.has_value()) << *conflict;
        EXPECT_EQ(m.plan.arena_bytes, live_lower_bound(m.plan.allocations, options.alignment));
        EXPECT_LT(m.plan.arena_bytes, m.plan.unshared_bytes);
      }
    }
  }
}

TEST(MemoryPlan, ArenaSizes) {
  // Regression values (bytes, 16-byte aligned buffers, scratch of tinysim_nn included).
  EXPECT_EQ(plan_model("kws_ref_model").plan.arena_bytes, 16256);
  EXPECT_EQ(plan_model("vww_96_int8").plan.arena_bytes, 55328);
  EXPECT_EQ(plan_model("pretrainedResnet_quant").plan.arena_bytes, 49728);
  EXPECT_EQ(plan_model("ad01_int8").plan.arena_bytes, 2048);
}

TEST(MemoryPlan, ReshapeAliasesAndAddWorksInPlace) {
  const ModelPlan m = plan_model("pretrainedResnet_quant");
  int adds_in_place = 0;
  for (size_t k = 0; k < m.lowered.calls.size(); ++k) {
    const KernelCall& c = m.lowered.calls[k];
    const TensorLocation& out = m.plan.tensors[static_cast<size_t>(c.output)];
    if (c.kind == KernelKind::kReshape) {
      EXPECT_FALSE(m.plan.reshape_copies[k]);
      EXPECT_EQ(out.group, m.plan.tensors[static_cast<size_t>(c.input)].group);
    }
    if (c.kind == KernelKind::kAdd) {
      const bool shares = out.group == m.plan.tensors[static_cast<size_t>(c.input)].group ||
                          out.group == m.plan.tensors[static_cast<size_t>(c.input2)].group;
      adds_in_place += shares ? 1 : 0;
    }
  }
  EXPECT_EQ(adds_in_place, 3);
}

TEST(MemoryPlan, ModelOutputIsWrittenInPlaceOfTheCallersBuffer) {
  // KWS: the last FULLY_CONNECTED writes the caller's output, SOFTMAX works on it in place.
  const ModelPlan m = plan_model("kws_ref_model");
  const KernelCall& fc = m.lowered.calls[11];
  ASSERT_EQ(fc.kind, KernelKind::kFullyConnected);
  EXPECT_EQ(m.plan.tensors[static_cast<size_t>(fc.output)].placement, Placement::kOutput);
  EXPECT_EQ(m.plan.tensors[static_cast<size_t>(m.lowered.output)].placement, Placement::kOutput);
  // The logits variant still runs SOFTMAX, reading the output, into the arena.
  const ModelPlan l = plan_model("kws_ref_model.logits");
  const KernelCall& softmax = l.lowered.calls.back();
  EXPECT_EQ(l.plan.tensors[static_cast<size_t>(softmax.input)].placement, Placement::kOutput);
  EXPECT_EQ(l.plan.tensors[static_cast<size_t>(softmax.output)].placement, Placement::kArena);
}

TEST(MemoryPlan, CheckerCatchesABrokenPlan) {
  ModelPlan m = plan_model("kws_ref_model");
  // Move operator 2's output onto its input.
  const KernelCall& c = m.lowered.calls[2];
  m.plan.tensors[static_cast<size_t>(c.output)].offset =
      m.plan.tensors[static_cast<size_t>(c.input)].offset;
  EXPECT_TRUE(check_memory_plan(m.lowered, m.plan).has_value());
}

}  // namespace
}  // namespace tinysim::importer
