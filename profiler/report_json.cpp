// The JSON document (docs/profile-json.md) and its reader.
#include <fmt/format.h>

#include <cmath>

#include "profiler/report.h"

namespace tinysim::profiler {
namespace {

using nlohmann::json;

json functions_json(const std::vector<FunctionShare>& shares) {
  json out = json::array();
  for (const FunctionShare& s : shares) out.push_back({{"name", s.name}, {"cycles", s.cycles}});
  return out;
}

// Reading: each accessor throws ReadError naming the path of the field.
struct ReadError {
  std::string what;
};

const json& field(const json& object, const char* key, const std::string& where) {
  if (!object.is_object()) throw ReadError{fmt::format("{}: not an object", where)};
  auto it = object.find(key);
  if (it == object.end()) throw ReadError{fmt::format("{}.{}: missing", where, key)};
  return *it;
}

template <typename T>
T get(const json& object, const char* key, const std::string& where) {
  const json& v = field(object, key, where);
  try {
    return v.get<T>();
  } catch (const json::exception&) {
    throw ReadError{fmt::format("{}.{}: wrong type ({})", where, key, v.type_name())};
  }
}

const json& array(const json& object, const char* key, const std::string& where) {
  const json& v = field(object, key, where);
  if (!v.is_array()) throw ReadError{fmt::format("{}.{}: not an array", where, key)};
  return v;
}

json energy_to_json(const std::optional<EnergyReport>& e) {
  if (!e) return nullptr;
  json battery = nullptr;
  if (e->battery) {
    const BatteryReport& b = *e->battery;
    battery = {{"battery", b.battery},
               {"battery_source", b.battery_source},
               {"capacity_mah", b.capacity_mah},
               {"voltage_v", b.voltage_v},
               {"inferences_per_second", b.inferences_per_second},
               {"sleep_mode", b.sleep_mode},
               {"sleep_current_ua", b.sleep_current_ua},
               {"feasible", b.feasible},
               {"average_power_mw", b.average_power_mw},
               {"inferences_per_charge", b.inferences_per_charge},
               {"life_days", b.life_days}};
  }
  return {{"model", e->model},
          {"estimate", e->estimate},
          {"vdd_v", e->vdd_v},
          {"average_power_mw", e->average_power_mw},
          {"inference_energy_uj", e->inference_energy_uj},
          {"inference_time_us", e->inference_time_us},
          {"battery", battery}};
}

}  // namespace

json metrics_to_json(const Metrics& metrics) {
  json out = json::object();
  for (const MetricInfo& info : all_metrics()) {
    if (!metrics.has(info.metric)) continue;
    const double v = metrics.get(info.metric);
    if (info.integral) {
      out[info.key] = static_cast<uint64_t>(std::llround(v));
    } else {
      out[info.key] = v;
    }
  }
  return out;
}

Metrics metrics_from_json(const json& object) {
  Metrics m;
  if (!object.is_object()) return m;
  for (const auto& [key, value] : object.items()) {
    if (auto metric = metric_by_key(key); metric && value.is_number()) {
      m.set(*metric, value.get<double>());
    }
  }
  return m;
}

json profile_to_json(const Profile& p) {
  json metrics_catalog = json::array();
  for (const MetricInfo& info : all_metrics()) {
    metrics_catalog.push_back(
        {{"key", info.key}, {"unit", info.unit}, {"description", info.description}});
  }
  json operators = json::array();
  for (const OperatorProfile& op : p.operators) {
    operators.push_back({{"index", op.index},
                         {"name", op.name},
                         {"kind", op.kind},
                         {"function", op.function},
                         {"invocations", op.invocations},
                         {"macs_per_invocation", op.macs_per_invocation},
                         {"first_start_cycle", op.first_start_cycle},
                         {"complete", op.complete},
                         {"stack_peak_exact", op.stack_peak_exact},
                         {"metrics", metrics_to_json(op.metrics)},
                         {"functions", functions_json(op.functions)}});
  }
  json functions = json::array();
  for (const FunctionProfile& f : p.functions) {
    functions.push_back({{"name", f.name},
                         {"demangled", f.demangled},
                         {"source_file", f.source_file},
                         {"address", f.address},
                         {"size_bytes", f.size_bytes},
                         {"calls", f.calls},
                         {"inclusive", metrics_to_json(f.inclusive)},
                         {"exclusive", metrics_to_json(f.exclusive)}});
  }
  json lines = json::array();
  for (const LineProfile& l : p.lines) {
    lines.push_back({{"file", l.file},
                     {"line", l.line},
                     {"function", l.function},
                     {"metrics", metrics_to_json(l.metrics)},
                     {"disassembly", l.disassembly}});
  }
  json stacks = json::array();
  for (const StackEntry& s : p.stacks) {
    stacks.push_back({{"frames", s.frames}, {"cycles", s.cycles}});
  }
  json slices = json::array();
  for (const TimelineSlice& s : p.timeline.operators) {
    slices.push_back({{"operator", s.operator_position},
                      {"start_cycle", s.start_cycle},
                      {"end_cycle", s.end_cycle}});
  }
  json stack_samples = json::array();
  for (const CounterSample& s : p.timeline.stack_high_water_bytes) {
    stack_samples.push_back({{"cycle", s.cycle}, {"bytes", s.value}});
  }
  const MemoryReport& m = p.memory;
  json memory = {
      {"sram",
       {{"data_bytes", m.data_bytes},
        {"bss_bytes", m.bss_bytes},
        {"static_bytes", m.static_bytes},
        {"stack",
         {{"low_address", m.stack_low},
          {"top_address", m.stack_top},
          {"bounds_from", m.stack_bounds_from},
          {"measured", m.stack_measured},
          {"peak_bytes", m.stack_peak_bytes}}},
        {"heap",
         {{"reserved_bytes", m.heap_reserved_bytes},
          {"measured", m.heap_measured},
          {"peak_bytes", m.heap_peak_bytes}}},
        {"arena", {{"symbol", m.arena_symbol}, {"size_bytes", m.arena_bytes}}},
        {"peak_bytes", m.sram_peak_bytes},
        {"reserved_bytes", m.sram_reserved_bytes},
        {"board_bytes", m.board_sram_bytes},
        {"fits", m.sram_fits},
        {"margin_bytes", m.sram_margin_bytes}}},
      {"flash",
       {{"code_bytes", m.code_bytes},
        {"rodata_bytes", m.rodata_bytes},
        {"data_init_bytes", m.data_init_bytes},
        {"total_bytes", m.flash_bytes},
        {"board_bytes", m.board_flash_bytes},
        {"fits", m.flash_fits},
        {"margin_bytes", m.flash_margin_bytes}}},
  };
  return {
      {"schema", p.schema},
      {"tool", {{"name", "tinysim"}, {"version", p.tool_version}}},
      {"firmware", {{"path", p.firmware.path}, {"fnv1a64", p.firmware.fnv1a64}}},
      {"board",
       {{"name", p.board.name},
        {"core", p.board.core},
        {"fpu", p.board.fpu},
        {"clock_hz", p.board.clock_hz},
        {"sram_bytes", p.board.sram_bytes},
        {"flash_bytes", p.board.flash_bytes}}},
      {"run",
       {{"stop_reason", p.run.stop_reason},
        {"exit_code", p.run.exit_code ? json(*p.run.exit_code) : json(nullptr)},
        {"stop_location", p.run.stop_location},
        {"partial", p.run.partial},
        {"sleep_cycles", p.run.sleep_cycles},
        {"exceptions_taken", p.run.exceptions_taken},
        {"blocks", p.run.blocks},
        {"host_seconds", p.run.host_seconds}}},
      {"attribution",
       {{"operators", operator_source_name(p.operator_source)}, {"line_table", p.line_table}}},
      {"metrics", metrics_catalog},
      {"total", metrics_to_json(p.total)},
      {"operators", operators},
      {"outside_operators", metrics_to_json(p.outside_operators)},
      {"functions", functions},
      {"lines", lines},
      {"stacks", stacks},
      {"memory", memory},
      {"energy", energy_to_json(p.energy)},
      {"timeline",
       {{"operators", slices},
        {"stack_high_water_bytes", stack_samples},
        {"truncated", p.timeline.truncated}}},
      {"warnings", p.warnings},
  };
}

StatusOr<Profile> profile_from_json(const json& d) {
  Profile p;
  try {
    p.schema = get<std::string>(d, "schema", "$");
    if (p.schema != kProfileSchema) {
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("profile schema '{}' is not {} (written by another tinysim "
                                "version)",
                                p.schema, kProfileSchema));
    }
    p.tool_version = get<std::string>(field(d, "tool", "$"), "version", "$.tool");
    const json& fw = field(d, "firmware", "$");
    p.firmware.path = get<std::string>(fw, "path", "$.firmware");
    p.firmware.fnv1a64 = get<std::string>(fw, "fnv1a64", "$.firmware");
    const json& b = field(d, "board", "$");
    p.board.name = get<std::string>(b, "name", "$.board");
    p.board.core = get<std::string>(b, "core", "$.board");
    p.board.fpu = get<std::string>(b, "fpu", "$.board");
    p.board.clock_hz = get<uint64_t>(b, "clock_hz", "$.board");
    p.board.sram_bytes = get<uint64_t>(b, "sram_bytes", "$.board");
    p.board.flash_bytes = get<uint64_t>(b, "flash_bytes", "$.board");
    const json& r = field(d, "run", "$");
    p.run.stop_reason = get<std::string>(r, "stop_reason", "$.run");
    if (!field(r, "exit_code", "$.run").is_null())
      p.run.exit_code = get<int>(r, "exit_code", "$.run");
    p.run.stop_location = get<std::string>(r, "stop_location", "$.run");
    p.run.partial = get<bool>(r, "partial", "$.run");
    p.run.sleep_cycles = get<uint64_t>(r, "sleep_cycles", "$.run");
    p.run.exceptions_taken = get<uint64_t>(r, "exceptions_taken", "$.run");
    p.run.blocks = get<uint64_t>(r, "blocks", "$.run");
    p.run.host_seconds = get<double>(r, "host_seconds", "$.run");
    const json& a = field(d, "attribution", "$");
    const auto source = get<std::string>(a, "operators", "$.attribution");
    p.operator_source = source == "markers" ? OperatorSource::kMarkers
                        : source == "rules" ? OperatorSource::kRules
                                            : OperatorSource::kNone;
    p.line_table = get<bool>(a, "line_table", "$.attribution");
    p.total = metrics_from_json(field(d, "total", "$"));
    size_t i = 0;
    for (const json& o : array(d, "operators", "$")) {
      const std::string where = fmt::format("$.operators[{}]", i++);
      OperatorProfile op;
      op.index = get<uint32_t>(o, "index", where);
      op.name = get<std::string>(o, "name", where);
      op.kind = get<std::string>(o, "kind", where);
      op.function = get<std::string>(o, "function", where);
      op.invocations = get<uint64_t>(o, "invocations", where);
      op.macs_per_invocation = get<uint64_t>(o, "macs_per_invocation", where);
      op.first_start_cycle = get<uint64_t>(o, "first_start_cycle", where);
      op.complete = get<bool>(o, "complete", where);
      op.stack_peak_exact = get<bool>(o, "stack_peak_exact", where);
      op.metrics = metrics_from_json(field(o, "metrics", where));
      for (const json& f : array(o, "functions", where)) {
        op.functions.push_back(
            {get<std::string>(f, "name", where), get<uint64_t>(f, "cycles", where)});
      }
      p.operators.push_back(std::move(op));
    }
    p.outside_operators = metrics_from_json(field(d, "outside_operators", "$"));
    i = 0;
    for (const json& o : array(d, "functions", "$")) {
      const std::string where = fmt::format("$.functions[{}]", i++);
      FunctionProfile f;
      f.name = get<std::string>(o, "name", where);
      f.demangled = get<std::string>(o, "demangled", where);
      f.source_file = get<std::string>(o, "source_file", where);
      f.address = get<uint32_t>(o, "address", where);
      f.size_bytes = get<uint32_t>(o, "size_bytes", where);
      f.calls = get<uint64_t>(o, "calls", where);
      f.inclusive = metrics_from_json(field(o, "inclusive", where));
      f.exclusive = metrics_from_json(field(o, "exclusive", where));
      p.functions.push_back(std::move(f));
    }
    i = 0;
    for (const json& o : array(d, "lines", "$")) {
      const std::string where = fmt::format("$.lines[{}]", i++);
      LineProfile l;
      l.file = get<std::string>(o, "file", where);
      l.line = get<uint32_t>(o, "line", where);
      l.function = get<std::string>(o, "function", where);
      l.metrics = metrics_from_json(field(o, "metrics", where));
      l.disassembly = get<std::vector<std::string>>(o, "disassembly", where);
      p.lines.push_back(std::move(l));
    }
    i = 0;
    for (const json& o : array(d, "stacks", "$")) {
      const std::string where = fmt::format("$.stacks[{}]", i++);
      p.stacks.push_back(
          {get<std::vector<std::string>>(o, "frames", where), get<uint64_t>(o, "cycles", where)});
    }
    const json& mem = field(d, "memory", "$");
    const json& sram = field(mem, "sram", "$.memory");
    MemoryReport& m = p.memory;
    m.data_bytes = get<uint64_t>(sram, "data_bytes", "$.memory.sram");
    m.bss_bytes = get<uint64_t>(sram, "bss_bytes", "$.memory.sram");
    m.static_bytes = get<uint64_t>(sram, "static_bytes", "$.memory.sram");
    const json& stack = field(sram, "stack", "$.memory.sram");
    m.stack_low = get<uint32_t>(stack, "low_address", "$.memory.sram.stack");
    m.stack_top = get<uint32_t>(stack, "top_address", "$.memory.sram.stack");
    m.stack_bounds_from = get<std::string>(stack, "bounds_from", "$.memory.sram.stack");
    m.stack_measured = get<bool>(stack, "measured", "$.memory.sram.stack");
    m.stack_peak_bytes = get<uint64_t>(stack, "peak_bytes", "$.memory.sram.stack");
    const json& heap = field(sram, "heap", "$.memory.sram");
    m.heap_reserved_bytes = get<uint64_t>(heap, "reserved_bytes", "$.memory.sram.heap");
    m.heap_measured = get<bool>(heap, "measured", "$.memory.sram.heap");
    m.heap_peak_bytes = get<uint64_t>(heap, "peak_bytes", "$.memory.sram.heap");
    const json& arena = field(sram, "arena", "$.memory.sram");
    m.arena_symbol = get<std::string>(arena, "symbol", "$.memory.sram.arena");
    m.arena_bytes = get<uint64_t>(arena, "size_bytes", "$.memory.sram.arena");
    m.sram_peak_bytes = get<uint64_t>(sram, "peak_bytes", "$.memory.sram");
    m.sram_reserved_bytes = get<uint64_t>(sram, "reserved_bytes", "$.memory.sram");
    m.board_sram_bytes = get<uint64_t>(sram, "board_bytes", "$.memory.sram");
    m.sram_fits = get<bool>(sram, "fits", "$.memory.sram");
    m.sram_margin_bytes = get<int64_t>(sram, "margin_bytes", "$.memory.sram");
    const json& flash = field(mem, "flash", "$.memory");
    m.code_bytes = get<uint64_t>(flash, "code_bytes", "$.memory.flash");
    m.rodata_bytes = get<uint64_t>(flash, "rodata_bytes", "$.memory.flash");
    m.data_init_bytes = get<uint64_t>(flash, "data_init_bytes", "$.memory.flash");
    m.flash_bytes = get<uint64_t>(flash, "total_bytes", "$.memory.flash");
    m.board_flash_bytes = get<uint64_t>(flash, "board_bytes", "$.memory.flash");
    m.flash_fits = get<bool>(flash, "fits", "$.memory.flash");
    m.flash_margin_bytes = get<int64_t>(flash, "margin_bytes", "$.memory.flash");
    const json& t = field(d, "timeline", "$");
    i = 0;
    for (const json& o : array(t, "operators", "$.timeline")) {
      const std::string where = fmt::format("$.timeline.operators[{}]", i++);
      p.timeline.operators.push_back({get<uint32_t>(o, "operator", where),
                                      get<uint64_t>(o, "start_cycle", where),
                                      get<uint64_t>(o, "end_cycle", where)});
    }
    i = 0;
    for (const json& o : array(t, "stack_high_water_bytes", "$.timeline")) {
      const std::string where = fmt::format("$.timeline.stack_high_water_bytes[{}]", i++);
      p.timeline.stack_high_water_bytes.push_back(
          {get<uint64_t>(o, "cycle", where), get<uint64_t>(o, "bytes", where)});
    }
    p.timeline.truncated = get<bool>(t, "truncated", "$.timeline");
    p.warnings = get<std::vector<std::string>>(d, "warnings", "$");
    // "energy" (absent in profiles written before the energy model, null without power figures).
    if (auto it = d.find("energy"); it != d.end() && !it->is_null()) {
      const json& e = *it;
      EnergyReport r;
      r.model = get<std::string>(e, "model", "$.energy");
      r.estimate = get<bool>(e, "estimate", "$.energy");
      r.vdd_v = get<double>(e, "vdd_v", "$.energy");
      r.average_power_mw = get<double>(e, "average_power_mw", "$.energy");
      r.inference_energy_uj = get<double>(e, "inference_energy_uj", "$.energy");
      r.inference_time_us = get<double>(e, "inference_time_us", "$.energy");
      if (auto b = e.find("battery"); b != e.end() && !b->is_null()) {
        const char* where = "$.energy.battery";
        BatteryReport br;
        br.battery = get<std::string>(*b, "battery", where);
        br.battery_source = get<std::string>(*b, "battery_source", where);
        br.capacity_mah = get<double>(*b, "capacity_mah", where);
        br.voltage_v = get<double>(*b, "voltage_v", where);
        br.inferences_per_second = get<double>(*b, "inferences_per_second", where);
        br.sleep_mode = get<std::string>(*b, "sleep_mode", where);
        br.sleep_current_ua = get<double>(*b, "sleep_current_ua", where);
        br.feasible = get<bool>(*b, "feasible", where);
        br.average_power_mw = get<double>(*b, "average_power_mw", where);
        br.inferences_per_charge = get<double>(*b, "inferences_per_charge", where);
        br.life_days = get<double>(*b, "life_days", where);
        r.battery = br;
      }
      p.energy = r;
    }
  } catch (const ReadError& e) {
    return Status(StatusCode::kInvalidArgument, "profile JSON: " + e.what);
  }
  return p;
}

}  // namespace tinysim::profiler
