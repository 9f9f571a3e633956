// Attribution on purpose-built firmware (workloads/firmware/profiler_tests/calls.c): known call
// counts, exclusive cycles against an independent per-block accounting, operators against the
// marker cycle stamps, inclusive cycles against the firmware's own DWT.CYCCNT reading.
#include <gtest/gtest.h>

#include <chrono>
#include <numeric>
#include <set>

#include "profiler/report.h"
#include "profiler_test_util.h"

namespace tinysim::profiler {
namespace {

using testing::cycles;
using testing::find_function;
using testing::find_operator;
using testing::profile_firmware;

struct Variant {
  const char* variant;
  const char* board;
};
const Variant kVariants[] = {{"cortex-m4f", "nrf52840-dk"}, {"cortex-m0plus", "nucleo-g071rb"}};

class CallsTest : public ::testing::TestWithParam<Variant> {};

TEST_P(CallsTest, ExclusiveCyclesSumToTheTotal) {
  const auto r = profile_firmware("prof-calls", GetParam().variant, GetParam().board, "10");
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit) << r.console;
  const Profile& p = r.profile;
  uint64_t sum = 0;
  for (const FunctionProfile& f : p.functions) sum += cycles(f.exclusive);
  EXPECT_EQ(sum, r.result.cycles);
  EXPECT_EQ(cycles(p.total), r.result.cycles);
  EXPECT_EQ(p.total.get_u64(Metric::kInstructions), r.result.instructions);
  uint64_t instructions = 0;
  for (const FunctionProfile& f : p.functions) {
    instructions += f.exclusive.get_u64(Metric::kInstructions);
  }
  EXPECT_EQ(instructions, r.result.instructions);
  // Folded stacks partition the same cycles.
  uint64_t stacks = 0;
  for (const StackEntry& s : p.stacks) stacks += s.cycles;
  EXPECT_EQ(stacks, r.result.cycles);
  // Operators plus the rest partition them too.
  uint64_t ops = cycles(p.outside_operators);
  for (const OperatorProfile& op : p.operators) ops += cycles(op.metrics);
  EXPECT_EQ(ops, r.result.cycles);
  for (const std::string& w : p.warnings) EXPECT_EQ(w.find("internal"), std::string::npos) << w;
}

TEST_P(CallsTest, ExclusiveCyclesMatchBlockAddresses) {
  const auto r = profile_firmware("prof-calls", GetParam().variant, GetParam().board, "10");
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit);
  size_t checked = 0;
  for (const auto& [name, truth] : r.truth->cycles_by_function) {
    if (name == "?") continue;
    const FunctionProfile* f = find_function(r.profile, name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(cycles(f->exclusive), truth) << name;
    ++checked;
  }
  EXPECT_GT(checked, 8u);
  // The rest is exception entry/exit latency, shown as pseudo functions.
  uint64_t pseudo = 0;
  for (const FunctionProfile& f : r.profile.functions) {
    if (f.name.front() == '[') pseudo += cycles(f.exclusive);
  }
  EXPECT_EQ(pseudo, r.result.cycles - r.truth->block_cycles - r.truth->in_block_gaps);
  ASSERT_NE(find_function(r.profile, "[exception entry]"), nullptr);
  ASSERT_NE(find_function(r.profile, "[exception exit]"), nullptr);
}

TEST_P(CallsTest, CallCounts) {
  const uint64_t n = 10;
  const auto r = profile_firmware("prof-calls", GetParam().variant, GetParam().board, "10");
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit);
  auto calls = [&](const char* name) {
    const FunctionProfile* f = find_function(r.profile, name);
    return f ? f->calls : uint64_t(0);
  };
  EXPECT_EQ(calls("leaf"), 5 * n + 2);
  EXPECT_EQ(calls("middle"), n + 1);
  EXPECT_EQ(calls("tail_caller"), n);
  EXPECT_EQ(calls("tail_target"), n + 1);  // tail-called n times, called once by measured()
  EXPECT_EQ(calls("recurse"), 5 * n);
  EXPECT_EQ(calls("measured"), 1u);
  EXPECT_EQ(calls("main"), 1u);
  EXPECT_EQ(calls("SVC_Handler"), n);
  EXPECT_NE(r.console.find("svc 10"), std::string::npos) << r.console;
}

TEST_P(CallsTest, InclusiveCycles) {
  const auto r = profile_firmware("prof-calls", GetParam().variant, GetParam().board, "10");
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit);
  const Profile& p = r.profile;
  // A leaf's inclusive time is its exclusive time.
  EXPECT_EQ(cycles(find_function(p, "leaf")->inclusive),
            cycles(find_function(p, "leaf")->exclusive));
  // middle = itself + its leaf calls; recursion counts the outermost activation only.
  const FunctionProfile* recurse = find_function(p, "recurse");
  EXPECT_GT(cycles(recurse->inclusive), cycles(recurse->exclusive));
  EXPECT_LT(cycles(recurse->inclusive), r.result.cycles / 2);
  // Reset_Handler contains everything but the vector fetch to it.
  const FunctionProfile* reset = find_function(p, "Reset_Handler");
  ASSERT_NE(reset, nullptr);
  EXPECT_GE(cycles(reset->inclusive), r.result.cycles * 99 / 100);
  EXPECT_LE(cycles(reset->inclusive), r.result.cycles);
  const FunctionProfile* tail_caller = find_function(p, "tail_caller");
  const FunctionProfile* tail_target = find_function(p, "tail_target");
  if (std::string(GetParam().variant) == "cortex-m4f") {
    // `b tail_target`: tail_caller's frame becomes tail_target's, which returns to main.
    EXPECT_EQ(cycles(tail_caller->inclusive), cycles(tail_caller->exclusive));
    bool under_main = false;
    for (const StackEntry& s : p.stacks) {
      const size_t k = s.frames.size();
      if (k >= 2 && s.frames[k - 1] == "tail_target" && s.frames[k - 2] == "main")
        under_main = true;
      if (k >= 2 && s.frames[k - 1] == "tail_target") {
        EXPECT_NE(s.frames[k - 2], "tail_caller");
      }
    }
    EXPECT_TRUE(under_main);
  } else {
    // Cortex-M0+ cannot reach it with B: a real call.
    EXPECT_GT(cycles(tail_caller->inclusive), cycles(tail_caller->exclusive));
  }
  EXPECT_GT(cycles(tail_target->inclusive), 0u);
}

TEST(Calls, InclusiveCyclesMatchTheFirmwaresOwnCycleCounter) {
  const auto r = profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "3");
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit);
  const size_t at = r.console.find("measured_cycles ");
  ASSERT_NE(at, std::string::npos) << r.console;
  const uint64_t measured = std::stoull(r.console.substr(at + 16));
  const FunctionProfile* f = find_function(r.profile, "measured");
  ASSERT_NE(f, nullptr);
  // The CYCCNT reads bracket the call: the BL, argument set-up and the reads themselves.
  EXPECT_NEAR(double(cycles(f->inclusive)), double(measured), 12.0)
      << "inclusive " << cycles(f->inclusive) << " vs CYCCNT delta " << measured;
}

TEST_P(CallsTest, OperatorsAreTheMarkerIntervals) {
  const auto r = profile_firmware("prof-calls", GetParam().variant, GetParam().board, "10");
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit);
  const Profile& p = r.profile;
  EXPECT_EQ(p.operator_source, OperatorSource::kMarkers);
  ASSERT_EQ(p.operators.size(), 2u);
  ASSERT_EQ(r.truth->markers.size(), 4u);
  const auto& m = r.truth->markers;
  const OperatorProfile* leaf = find_operator(p, "leaf_loop");
  const OperatorProfile* tree = find_operator(p, "call_tree");
  ASSERT_TRUE(leaf && tree);
  EXPECT_EQ(cycles(leaf->metrics), m[1].cycle - m[0].cycle);
  EXPECT_EQ(cycles(tree->metrics), m[3].cycle - m[2].cycle);
  EXPECT_EQ(leaf->kind, "LEAF");
  EXPECT_EQ(leaf->invocations, 1u);
  EXPECT_TRUE(leaf->complete);
  EXPECT_EQ(leaf->metrics.get_u64(Metric::kMacs), 100u);
  EXPECT_DOUBLE_EQ(leaf->metrics.get(Metric::kCyclesPerMac), double(cycles(leaf->metrics)) / 100);
  EXPECT_FALSE(tree->metrics.has(Metric::kMacs));
  EXPECT_NEAR(leaf->metrics.get(Metric::kTimeUs),
              double(cycles(leaf->metrics)) * 1e6 / double(p.board.clock_hz), 1e-9);
  // Functions inside each operator.
  std::set<std::string> in_tree;
  for (const FunctionShare& f : tree->functions) in_tree.insert(f.name);
  for (const char* name : {"main", "middle", "leaf", "recurse", "tail_target", "SVC_Handler",
                           "[exception entry]", "[exception exit]"}) {
    EXPECT_TRUE(in_tree.count(name)) << name;
  }
  EXPECT_FALSE(in_tree.count("measured"));
  ASSERT_FALSE(leaf->functions.empty());
  EXPECT_EQ(leaf->functions.front().name, "leaf");
  EXPECT_GT(leaf->metrics.get(Metric::kFlashCodeBytes), 0);
  // The timeline has one slice per execution, at the marker stamps.
  ASSERT_EQ(p.timeline.operators.size(), 2u);
  EXPECT_EQ(p.timeline.operators[0].start_cycle, m[0].cycle);
  EXPECT_EQ(p.timeline.operators[1].end_cycle, m[3].cycle);
  // Operator names lead the folded stacks.
  bool found = false;
  for (const StackEntry& s : p.stacks) {
    if (s.frames.size() >= 3 && s.frames[0] == "call_tree" && s.frames.back() == "leaf" &&
        s.frames[s.frames.size() - 2] == "middle") {
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(CallsTest, SourceLines) {
  const auto r = profile_firmware("prof-calls", GetParam().variant, GetParam().board, "10");
  const Profile& p = r.profile;
  ASSERT_TRUE(p.line_table);
  ASSERT_FALSE(p.lines.empty());
  uint64_t sum = 0;
  for (const LineProfile& l : p.lines) sum += cycles(l.metrics);
  EXPECT_LE(sum, r.result.cycles + p.lines.size());  // rounding
  const LineProfile& hottest = p.lines.front();
  EXPECT_NE(hottest.file.find("calls.c"), std::string::npos) << hottest.file;
  EXPECT_GT(hottest.line, 0u);
  EXPECT_FALSE(hottest.disassembly.empty());
  EXPECT_TRUE(hottest.function == "leaf" || hottest.function == "tail_target" ||
              hottest.function == "recurse" || hottest.function == "middle")
      << hottest.function;
  for (size_t i = 1; i < p.lines.size(); ++i) {
    EXPECT_GE(cycles(p.lines[i - 1].metrics), cycles(p.lines[i].metrics));
  }
}

INSTANTIATE_TEST_SUITE_P(Cores, CallsTest, ::testing::ValuesIn(kVariants), [](const auto& info) {
  std::string s = info.param.variant;
  for (char& c : s) {
    if (c == '-') c = '_';
  }
  return s;
});

TEST(Calls, SameRunSameProfile) {
  const auto a = profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "5");
  const auto b = profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "5");
  nlohmann::json ja = profile_to_json(a.profile), jb = profile_to_json(b.profile);
  ja["run"].erase("host_seconds");
  jb["run"].erase("host_seconds");
  EXPECT_EQ(ja, jb);
}

TEST(Calls, CancelledRunKeepsAPartialProfile) {
  // A long run, cancelled from another thread as Ctrl-C does.
  const auto r = profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "100000000", {}, {},
                                  [](sim::Machine& m) {
                                    std::this_thread::sleep_for(std::chrono::milliseconds(150));
                                    m.cancel();
                                  });
  ASSERT_EQ(r.result.reason, sim::StopReason::kCancelled);
  const Profile& p = r.profile;
  EXPECT_TRUE(p.run.partial);
  EXPECT_EQ(p.run.stop_reason, "cancelled");
  uint64_t sum = 0;
  for (const FunctionProfile& f : p.functions) sum += cycles(f.exclusive);
  EXPECT_EQ(sum, r.result.cycles);
  ASSERT_FALSE(p.operators.empty());
  EXPECT_FALSE(p.operators.back().complete);
  EXPECT_EQ(p.timeline.operators.back().end_cycle, r.result.cycles);
}

TEST(Calls, CycleBudgetInsideAnOperator) {
  sim::RunOptions run;
  run.max_cycles = 5000;
  const auto r = profile_firmware("prof-calls", "cortex-m0plus", "nucleo-g071rb", "1000", {}, run);
  ASSERT_EQ(r.result.reason, sim::StopReason::kCycleBudget);
  EXPECT_TRUE(r.profile.run.partial);
  uint64_t ops = cycles(r.profile.outside_operators);
  for (const OperatorProfile& op : r.profile.operators) ops += cycles(op.metrics);
  EXPECT_EQ(ops, r.result.cycles);
}

TEST(Markers, TheSimulatorsMarkerFirmware) {
  const auto r = profile_firmware("test-markers", "cortex-m4f", "nrf52840-dk");
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit);
  const Profile& p = r.profile;
  ASSERT_EQ(p.operators.size(), 2u);
  EXPECT_EQ(p.operators[0].name, "conv_small");
  EXPECT_EQ(p.operators[1].name, "fc_large");
  EXPECT_GT(cycles(p.operators[1].metrics), 4 * cycles(p.operators[0].metrics));
  EXPECT_EQ(p.operators[1].metrics.get_u64(Metric::kMacs), 5000u);
}

}  // namespace
}  // namespace tinysim::profiler

namespace tinysim::profiler {
namespace {

// Edge cases of the marker protocol, fed to the recorder as synthetic events (no run): nested
// operators, an end without a begin, an index the table does not describe.
TEST(Markers, NestedUnmatchedAndUnknownOperators) {
  const std::string path = testing::firmware("prof-calls", "cortex-m4f");
  auto board = sim::find_board("nrf52840-dk");
  auto image = sim::Image::load(path);
  auto info = FirmwareInfo::load(path);
  ASSERT_TRUE(board.is_ok() && image.is_ok() && info.is_ok());
  auto machine = sim::Machine::create(board.value(), image.value());
  ASSERT_TRUE(machine.is_ok());
  auto recorder = Recorder::create(*machine.value(), info.value());
  ASSERT_TRUE(recorder.is_ok());
  Recorder& r = *recorder.value();
  const int main_fn = info.value().function_index_at(image.value().symbol_address("main").value());
  ASSERT_GE(main_fn, 0);
  const uint32_t main_address = info.value().functions()[size_t(main_fn)].address;
  uint64_t cycle = 0;
  auto block = [&](uint64_t cycles) {
    sim::RetiredBlock b;
    b.start_address = main_address;
    b.end_address = main_address + 8;
    b.next_address = main_address;
    b.instructions = uint32_t(cycles);
    b.start_cycle = cycle;
    b.cycles = cycles;
    r.on_block(b);
    cycle += cycles;
  };
  block(10);
  r.on_itm_write(1, 0, cycle + 2);  // begin leaf_loop mid-block
  block(10);                        // 2 outside, 8 in leaf_loop
  r.on_itm_write(1, 1, cycle);      // begin call_tree inside leaf_loop
  block(10);
  r.on_itm_write(2, 1, cycle);  // end call_tree
  r.on_itm_write(2, 0, cycle);  // end leaf_loop: two boundaries at one cycle
  block(10);
  r.on_itm_write(2, 0, cycle);  // an end without a begin
  r.on_itm_write(1, 7, cycle);  // an operator not in the table
  block(5);
  r.on_itm_write(2, 7, cycle);
  block(5);
  sim::RunResult result;
  result.cycles = cycle;
  result.instructions = cycle;
  const Profile p = r.finish(result);
  ASSERT_EQ(p.operators.size(), 3u);
  const OperatorProfile* leaf = find_operator(p, "leaf_loop");
  const OperatorProfile* tree = find_operator(p, "call_tree");
  const OperatorProfile* unknown = find_operator(p, "op_7");
  ASSERT_TRUE(leaf && tree && unknown);
  // The innermost operator gets the cycles.
  EXPECT_EQ(cycles(leaf->metrics), 8u);
  EXPECT_EQ(cycles(tree->metrics), 10u);
  EXPECT_EQ(cycles(unknown->metrics), 5u);
  EXPECT_EQ(unknown->kind, "UNKNOWN");
  EXPECT_EQ(cycles(p.outside_operators), 2u + 10u + 10u + 5u);
  std::string warnings;
  for (const std::string& w : p.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("without a matching begin"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("index 7"), std::string::npos) << warnings;
  // Slices nest in time.
  ASSERT_EQ(p.timeline.operators.size(), 3u);
  EXPECT_EQ(p.timeline.operators[0].start_cycle, 20u);  // call_tree ended first
  EXPECT_EQ(p.timeline.operators[1].start_cycle, 12u);
}

}  // namespace
}  // namespace tinysim::profiler
