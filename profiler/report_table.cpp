// The terminal report.
#include <fmt/format.h>

#include "profiler/report.h"
#include "profiler/report_format.h"

namespace tinysim::profiler {

using namespace detail;

namespace {

std::string run_line(const Profile& p) {
  const Metrics& t = p.total;
  std::string out = fmt::format("{} cycles ({} ms), {} instructions",
                                with_commas(int64_t(t.get(Metric::kCycles))),
                                format_metric(Metric::kTimeUs, t.get(Metric::kTimeUs)),
                                with_commas(int64_t(t.get(Metric::kInstructions))));
  if (t.has(Metric::kCyclesPerInstruction)) {
    out += fmt::format(", CPI {:.2f}", t.get(Metric::kCyclesPerInstruction));
  }
  return out;
}

// The energy model's summary: total, average power, per inference, battery; and the label.
std::string energy_lines(const Profile& p) {
  if (!p.energy) return "  energy   n/a (the catalog has no power figures for this board)\n";
  const EnergyReport& e = *p.energy;
  std::string out = fmt::format(
      "  energy   {:.1f} uJ, {:.3f} mW average at {:g} V; per inference {:.1f} uJ in {:.3f} ms\n",
      p.total.get(Metric::kEnergyUj), e.average_power_mw, e.vdd_v, e.inference_energy_uj,
      e.inference_time_us / 1e3);
  out += fmt::format("  model    {}\n", e.model);
  if (e.battery) {
    const BatteryReport& b = *e.battery;
    out += fmt::format(
        "  battery  {} ({:g} mAh, {:g} V), one inference every {:g} s, {} between ({:g} uA): {}"
        "{:.4f} mW average, {:.3g} inferences per charge, {:.1f} days (ideal cell)\n",
        b.battery, b.capacity_mah, b.voltage_v, 1.0 / b.inferences_per_second, b.sleep_mode,
        b.sleep_current_ua, b.feasible ? "" : "INFEASIBLE (an inference outlasts the period), ",
        b.average_power_mw, b.inferences_per_charge, b.life_days);
  }
  return out;
}

std::string ending(const Profile& p) {
  if (p.run.stop_reason == "exit")
    return fmt::format("firmware exited with status {}", *p.run.exit_code);
  return fmt::format("PARTIAL: stopped ({}) at {}", p.run.stop_reason, p.run.stop_location);
}

}  // namespace

std::string render_table(const Profile& p, const RenderOptions& options) {
  std::string out;
  out += fmt::format("tinysim profile: {} on {} ({}{}, {:g} MHz)\n", base_name(p.firmware.path),
                     p.board.name, p.board.core, p.board.fpu == "none" ? "" : " " + p.board.fpu,
                     double(p.board.clock_hz) / 1e6);
  out += fmt::format("  run      {}\n", ending(p));
  out += fmt::format("  total    {}\n", run_line(p));
  out += energy_lines(p);
  const double total_cycles = p.total.get(Metric::kCycles);

  // Operators.
  if (!p.operators.empty()) {
    out += fmt::format("\nOperators ({}, {}):\n", operator_source_name(p.operator_source),
                       options.operators_by_index ? "in network order" : "hottest first");
    std::vector<const Metrics*> sets;
    for (const OperatorProfile& op : p.operators) sets.push_back(&op.metrics);
    const std::vector<Metric> metrics = present_metrics(sets);
    TextTable table;
    table.add_column("#", true);
    table.add_column("operator", false);
    table.add_column("kind", false);
    table.add_column("runs", true);
    for (Metric m : metrics) {
      table.add_column(metric_heading(m), true);
      if (m == Metric::kCycles) table.add_column("%", true);
    }
    auto cells = [&](const Metrics& values, std::vector<std::string> row,
                     bool stack_bound = false) {
      for (Metric m : metrics) {
        std::string cell = values.has(m) ? format_metric(m, values.get(m)) : "";
        if (m == Metric::kStackPeakBytes && stack_bound && !cell.empty()) cell = "<=" + cell;
        row.push_back(std::move(cell));
        if (m == Metric::kCycles) row.push_back(percent(values.get(m), total_cycles));
      }
      return row;
    };
    for (const OperatorProfile* op : ordered_operators(p, options.operators_by_index)) {
      std::string name = op->name;
      if (!op->complete) name += " (incomplete)";
      table.add_row(
          cells(op->metrics,
                {std::to_string(op->index), name, op->kind, with_commas(int64_t(op->invocations))},
                !op->stack_peak_exact));
    }
    table.add_rule();
    table.add_row(cells(p.outside_operators, {"", "(outside operators)", "", ""}));
    table.add_row(cells(p.total, {"", "total", "", ""}));
    out += table.render("  ");
    bool bounds = false;
    for (const OperatorProfile& op : p.operators) {
      bounds = bounds || (op.metrics.has(Metric::kStackPeakBytes) && !op.stack_peak_exact);
    }
    if (bounds) {
      out +=
          "  stack_B <=: an upper bound (the operator did not go deeper than an earlier one;\n"
          "  this is the stack high-water mark when it ended)\n";
    }
  } else {
    out +=
        "\nOperators: none found (no ITM markers, and no function matched an attribution "
        "rule; see --rules)\n";
  }

  // Functions.
  if (!p.functions.empty()) {
    out += fmt::format("\nFunctions, hottest first (self: own code; total: with callees):\n");
    TextTable table;
    table.add_column("function", false);
    table.add_column("self_cycles", true);
    table.add_column("self_%", true);
    table.add_column("total_cycles", true);
    table.add_column("total_%", true);
    table.add_column("calls", true);
    table.add_column("file", false);
    size_t shown = 0;
    for (const FunctionProfile& f : p.functions) {
      if (shown++ >= options.top_functions) break;
      std::string name = f.demangled.empty() ? f.name : f.demangled;
      if (name.size() > 48) name = name.substr(0, 45) + "...";
      table.add_row({name, with_commas(int64_t(f.exclusive.get(Metric::kCycles))),
                     percent(f.exclusive.get(Metric::kCycles), total_cycles),
                     with_commas(int64_t(f.inclusive.get(Metric::kCycles))),
                     percent(f.inclusive.get(Metric::kCycles), total_cycles),
                     with_commas(int64_t(f.calls)), base_name(f.source_file)});
    }
    out += table.render("  ");
    if (p.functions.size() > options.top_functions) {
      out += fmt::format("  ... and {} more (--format json lists them all)\n",
                         p.functions.size() - options.top_functions);
    }
  }

  // Source lines.
  if (!p.lines.empty() && options.top_lines) {
    out += "\nHottest source lines:\n";
    TextTable table;
    table.add_column("cycles", true);
    table.add_column("%", true);
    table.add_column("line", false);
    table.add_column("function", false);
    size_t shown = 0;
    for (const LineProfile& l : p.lines) {
      if (shown++ >= options.top_lines) break;
      table.add_row({with_commas(int64_t(l.metrics.get(Metric::kCycles))),
                     percent(l.metrics.get(Metric::kCycles), total_cycles),
                     fmt::format("{}:{}", base_name(l.file), l.line), l.function});
    }
    out += table.render("  ");
    shown = 0;
    for (const LineProfile& l : p.lines) {
      if (shown++ >= options.disassembled_lines) break;
      out += fmt::format("  {}:{} ({})\n", base_name(l.file), l.line, l.function);
      for (const std::string& insn : l.disassembly) out += fmt::format("      {}\n", insn);
    }
  } else if (!p.line_table) {
    out += "\nSource lines: the firmware has no DWARF line table (build with -g)\n";
  }

  // Memory.
  const MemoryReport& m = p.memory;
  out += "\nMemory:\n";
  std::string stack = m.stack_measured
                          ? fmt::format("stack peak {} B", with_commas(int64_t(m.stack_peak_bytes)))
                          : "stack not measured";
  std::string heap;
  if (m.heap_reserved_bytes) {
    heap = m.heap_measured
               ? fmt::format(" + heap peak {} B", with_commas(int64_t(m.heap_peak_bytes)))
               : fmt::format(" + heap {} B", with_commas(int64_t(m.heap_reserved_bytes)));
  }
  out += fmt::format(
      "  SRAM   static {} B (.data {} + .bss {}) + {}{} = {}\n",
      with_commas(int64_t(m.static_bytes)), with_commas(int64_t(m.data_bytes)),
      with_commas(int64_t(m.bss_bytes)), stack, heap,
      fit_text(m.sram_peak_bytes, m.board_sram_bytes, m.sram_fits, m.sram_margin_bytes));
  if (!m.arena_symbol.empty()) {
    out += fmt::format("         tensor arena {} ({} B, inside .bss/.data)\n", m.arena_symbol,
                       with_commas(int64_t(m.arena_bytes)));
  }
  out +=
      fmt::format("  Flash  code {} B + read-only data {} B + .data image {} B = {}\n",
                  with_commas(int64_t(m.code_bytes)), with_commas(int64_t(m.rodata_bytes)),
                  with_commas(int64_t(m.data_init_bytes)),
                  fit_text(m.flash_bytes, m.board_flash_bytes, m.flash_fits, m.flash_margin_bytes));

  for (const std::string& w : p.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

}  // namespace tinysim::profiler
