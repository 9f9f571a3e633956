// Metrics: the named, unit-carrying numbers the profiler attaches to a context (the whole run,
// an operator, a function, a source line).
//
// Every metric has one row in a table (metrics.cpp): its key in the serialisations (which names
// its unit: `cycles`, `time_us`, `stack_peak_bytes`, `energy_uj`), the unit, a sentence, whether
// it is an integer count, how contexts combine it (sum or maximum), and whether it is derived
// from others at the board clock. Reports iterate over the table, so a new metric (memory
// stall cycles from the memory models, cache hits, microjoules from the energy model) is one
// enum entry and one row: the JSON, CSV, table, Markdown, trace and store pick it up.
//
// A Metrics value holds the metrics that were measured for a context; the others are absent
// (not zero): a run without a cache model has no cache metrics.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tinysim::profiler {

enum class Metric : uint8_t {
  // Measured by the recorder.
  kCycles,        // core cycles, including sleep and exception entry/exit latency
  kInstructions,  // instructions retired
  kMacs,          // multiply-accumulates (from the operator table; operators only)
  kStackPeakBytes,
  kHeapPeakBytes,
  kArenaWrittenBytes,
  kFlashCodeBytes,
  // Filled by the models as they arrive (absent until then).
  kMemoryStallCycles,  // wait-state and bus stall cycles (memory_models)
  kCacheHits,
  kCacheMisses,
  kEnergyUj,  // microjoules (power_models)
  // Derived at the board clock by complete_derived().
  kTimeUs,
  kCyclesPerInstruction,
  kCyclesPerMac,
};

inline constexpr int kMetricCount = static_cast<int>(Metric::kCyclesPerMac) + 1;

enum class Aggregation : uint8_t {
  kSum,  // a context's value is the sum of its parts (cycles, instructions)
  kMax,  // a context's value is the maximum of its parts (peaks)
};

struct MetricInfo {
  Metric metric;
  const char* key;          // JSON/CSV key, unit in the name: "cycles", "time_us"
  const char* unit;         // "cycles", "instructions", "us", "bytes", "uJ", "ratio"
  const char* heading;      // short column heading for tables: "cycles", "time", "CPI"
  const char* description;  // one sentence
  bool integral;            // an integer count (serialised without a fraction)
  Aggregation aggregation;
  bool derived;  // computed by complete_derived(), never accumulated
};

// The row of `metric`.
const MetricInfo& metric_info(Metric metric);
// All rows, in enum order.
const std::array<MetricInfo, kMetricCount>& all_metrics();
// The metric whose key is `key`, if any.
std::optional<Metric> metric_by_key(std::string_view key);

class Metrics {
 public:
  bool has(Metric m) const { return (present_ >> index(m)) & 1u; }
  // REQUIRES: has(m) for a meaningful value; absent metrics read as 0.
  double get(Metric m) const { return values_[index(m)]; }
  uint64_t get_u64(Metric m) const { return static_cast<uint64_t>(values_[index(m)]); }
  void set(Metric m, double value) {
    values_[index(m)] = value;
    present_ |= 1u << index(m);
  }
  void erase(Metric m) {
    values_[index(m)] = 0;
    present_ &= ~(1u << index(m));
  }
  // Adds `value` (kSum) or takes the maximum (kMax), marking the metric present.
  void accumulate(Metric m, double value);
  // accumulate() every metric present in `other` that is not derived.
  void accumulate(const Metrics& other);
  bool empty() const { return present_ == 0; }

  // Sets the derived metrics from the measured ones: time at `clock_hz`, CPI when instructions
  // are non-zero, cycles per MAC when MACs are non-zero.
  void complete_derived(uint64_t clock_hz);

 private:
  static int index(Metric m) { return static_cast<int>(m); }
  std::array<double, kMetricCount> values_{};
  uint32_t present_ = 0;
  static_assert(kMetricCount <= 32);
};

}  // namespace tinysim::profiler
