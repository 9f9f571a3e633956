#include "profiler/metrics.h"

#include <algorithm>

namespace tinysim::profiler {
namespace {

constexpr std::array<MetricInfo, kMetricCount> kMetrics = {{
    {Metric::kCycles, "cycles", "cycles", "cycles",
     "core cycles, including sleep and exception entry and exit latency", true, Aggregation::kSum,
     false},
    {Metric::kInstructions, "instructions", "instructions", "insns", "instructions retired", true,
     Aggregation::kSum, false},
    {Metric::kMacs, "macs", "MACs", "MACs",
     "multiply-accumulates, from the operator table (per execution times executions)", true,
     Aggregation::kSum, false},
    {Metric::kStackPeakBytes, "stack_peak_bytes", "bytes", "stack",
     "deepest stack use (stack painting): bytes below the stack top ever written", true,
     Aggregation::kMax, false},
    {Metric::kHeapPeakBytes, "heap_peak_bytes", "bytes", "heap",
     "heap high-water mark (heap painting): bytes above the heap start ever written", true,
     Aggregation::kMax, false},
    {Metric::kArenaWrittenBytes, "arena_written_bytes", "bytes", "arena",
     "bytes of the tensor arena whose value changed during the operator (largest execution)", true,
     Aggregation::kMax, false},
    {Metric::kFlashCodeBytes, "flash_code_bytes", "bytes", "code",
     "size of the functions that executed in the context", true, Aggregation::kMax, false},
    {Metric::kMemoryStallCycles, "memory_stall_cycles", "cycles", "stall",
     "cycles lost to flash wait states and bus contention (memory models)", true, Aggregation::kSum,
     false},
    {Metric::kCacheHits, "cache_hits", "accesses", "hits", "cache hits (memory models)", true,
     Aggregation::kSum, false},
    {Metric::kCacheMisses, "cache_misses", "accesses", "misses", "cache misses (memory models)",
     true, Aggregation::kSum, false},
    {Metric::kEnergyUj, "energy_uj", "uJ", "energy", "energy in microjoules (energy model)", false,
     Aggregation::kSum, false},
    {Metric::kTimeUs, "time_us", "us", "time", "cycles at the board clock, in microseconds", false,
     Aggregation::kSum, true},
    {Metric::kCyclesPerInstruction, "cycles_per_instruction", "cycles/instruction", "CPI",
     "cycles divided by instructions", false, Aggregation::kMax, true},
    {Metric::kCyclesPerMac, "cycles_per_mac", "cycles/MAC", "cyc/MAC",
     "cycles divided by multiply-accumulates", false, Aggregation::kMax, true},
}};

}  // namespace

const MetricInfo& metric_info(Metric metric) {
  return kMetrics[static_cast<size_t>(metric)];
}

const std::array<MetricInfo, kMetricCount>& all_metrics() {
  return kMetrics;
}

std::optional<Metric> metric_by_key(std::string_view key) {
  for (const MetricInfo& info : kMetrics) {
    if (key == info.key) return info.metric;
  }
  return std::nullopt;
}

void Metrics::accumulate(Metric m, double value) {
  const MetricInfo& info = metric_info(m);
  if (!has(m)) {
    set(m, value);
  } else if (info.aggregation == Aggregation::kSum) {
    values_[index(m)] += value;
  } else {
    values_[index(m)] = std::max(values_[index(m)], value);
  }
}

void Metrics::accumulate(const Metrics& other) {
  for (const MetricInfo& info : kMetrics) {
    if (!info.derived && other.has(info.metric)) accumulate(info.metric, other.get(info.metric));
  }
}

void Metrics::complete_derived(uint64_t clock_hz) {
  if (has(Metric::kCycles) && clock_hz > 0) {
    set(Metric::kTimeUs, get(Metric::kCycles) * 1e6 / double(clock_hz));
  }
  if (has(Metric::kCycles) && has(Metric::kInstructions) && get(Metric::kInstructions) > 0) {
    set(Metric::kCyclesPerInstruction, get(Metric::kCycles) / get(Metric::kInstructions));
  } else {
    erase(Metric::kCyclesPerInstruction);
  }
  if (has(Metric::kCycles) && has(Metric::kMacs) && get(Metric::kMacs) > 0) {
    set(Metric::kCyclesPerMac, get(Metric::kCycles) / get(Metric::kMacs));
  } else {
    erase(Metric::kCyclesPerMac);
  }
}

}  // namespace tinysim::profiler
