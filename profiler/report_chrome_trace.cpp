// Chrome trace event JSON (the "JSON Array/Object Format" of the Trace Event Format that
// chrome://tracing and Perfetto load): operators as complete ("X") slices on one track, the
// SRAM use as a counter ("C"). Timestamps are microseconds of simulated time.
#include <fmt/format.h>

#include "profiler/report.h"
#include "profiler/report_format.h"

namespace tinysim::profiler {

nlohmann::json chrome_trace_json(const Profile& p) {
  using nlohmann::json;
  const double us_per_cycle = p.board.clock_hz ? 1e6 / double(p.board.clock_hz) : 1.0;
  json events = json::array();
  const std::string process =
      fmt::format("{} on {}", detail::base_name(p.firmware.path), p.board.name);
  events.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"tid", 1},
                    {"args", {{"name", process}}}});
  events.push_back({{"name", "thread_name"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"tid", 1},
                    {"args", {{"name", "operators"}}}});
  for (const TimelineSlice& s : p.timeline.operators) {
    if (s.operator_position >= p.operators.size()) continue;
    const OperatorProfile& op = p.operators[s.operator_position];
    events.push_back({{"name", op.name},
                      {"cat", op.kind.empty() ? std::string("operator") : op.kind},
                      {"ph", "X"},
                      {"pid", 1},
                      {"tid", 1},
                      {"ts", double(s.start_cycle) * us_per_cycle},
                      {"dur", double(s.end_cycle - s.start_cycle) * us_per_cycle},
                      {"args",
                       {{"index", op.index},
                        {"kind", op.kind},
                        {"cycles", s.end_cycle - s.start_cycle},
                        {"start_cycle", s.start_cycle}}}});
  }
  // SRAM: static data plus the stack high-water mark, stacked in the counter track.
  const uint64_t static_bytes = p.memory.static_bytes;
  auto sram = [&](uint64_t cycle, uint64_t stack) {
    events.push_back(
        {{"name", "SRAM (bytes)"},
         {"ph", "C"},
         {"pid", 1},
         {"ts", double(cycle) * us_per_cycle},
         {"args", {{"static_bytes", static_bytes}, {"stack_high_water_bytes", stack}}}});
  };
  sram(0, 0);
  for (const CounterSample& s : p.timeline.stack_high_water_bytes) sram(s.cycle, s.value);
  const auto end = static_cast<uint64_t>(p.total.get(Metric::kCycles));
  sram(end, p.memory.stack_measured ? p.memory.stack_peak_bytes : 0);
  return {{"traceEvents", events},
          {"displayTimeUnit", "ns"},
          {"otherData",
           {{"schema", p.schema},
            {"firmware", p.firmware.path},
            {"board", p.board.name},
            {"clock_hz", p.board.clock_hz},
            {"partial", p.run.partial}}}};
}

}  // namespace tinysim::profiler
