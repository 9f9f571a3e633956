// Markdown for CI summaries (GitHub job summaries, merge request comments).
#include <fmt/format.h>

#include "profiler/report.h"
#include "profiler/report_format.h"

namespace tinysim::profiler {

using namespace detail;

namespace {

std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string render_markdown(const Profile& p, const RenderOptions& options) {
  const double total = p.total.get(Metric::kCycles);
  std::string out = fmt::format("### tinysim profile: `{}` on `{}`\n\n", base_name(p.firmware.path),
                                p.board.name);
  if (p.run.partial) {
    out += fmt::format("> **Partial run**: stopped ({}) at `{}`; numbers cover what ran.\n\n",
                       p.run.stop_reason, cell(p.run.stop_location));
  }
  const MemoryReport& m = p.memory;
  out += "| | |\n|---|---|\n";
  out += fmt::format("| board | {} ({}, {:g} MHz) |\n", p.board.name, p.board.core,
                     double(p.board.clock_hz) / 1e6);
  out += fmt::format("| cycles | {} |\n", with_commas(int64_t(total)));
  out += fmt::format("| time | {} ms |\n",
                     format_metric(Metric::kTimeUs, p.total.get(Metric::kTimeUs)));
  out += fmt::format("| instructions | {} |\n",
                     with_commas(int64_t(p.total.get(Metric::kInstructions))));
  out += fmt::format("| SRAM | {} |\n", fit_text(m.sram_peak_bytes, m.board_sram_bytes, m.sram_fits,
                                                 m.sram_margin_bytes));
  out += fmt::format("| flash | {} |\n", fit_text(m.flash_bytes, m.board_flash_bytes, m.flash_fits,
                                                  m.flash_margin_bytes));
  out += fmt::format("| operators | {} ({}) |\n\n", p.operators.size(),
                     operator_source_name(p.operator_source));

  if (!p.operators.empty()) {
    std::vector<const Metrics*> sets;
    for (const OperatorProfile& op : p.operators) sets.push_back(&op.metrics);
    const std::vector<Metric> metrics = present_metrics(sets);
    out += "#### Operators\n\n| # | operator | kind |";
    std::string rule = "|--:|---|---|";
    for (Metric mt : metrics) {
      out += fmt::format(" {} |", metric_heading(mt));
      rule += "--:|";
      if (mt == Metric::kCycles) {
        out += " % |";
        rule += "--:|";
      }
    }
    out += "\n" + rule + "\n";
    auto row = [&](const std::string& index, const std::string& name, const std::string& kind,
                   const Metrics& values) {
      out += fmt::format("| {} | {} | {} |", index, cell(name), cell(kind));
      for (Metric mt : metrics) {
        out += fmt::format(" {} |", values.has(mt) ? format_metric(mt, values.get(mt)) : "");
        if (mt == Metric::kCycles) out += fmt::format(" {} |", percent(values.get(mt), total));
      }
      out += "\n";
    };
    for (const OperatorProfile* op : ordered_operators(p, options.operators_by_index)) {
      row(std::to_string(op->index), op->complete ? op->name : op->name + " (incomplete)", op->kind,
          op->metrics);
    }
    row("", "*(outside operators)*", "", p.outside_operators);
    row("", "**total**", "", p.total);
    out += "\n";
  }
  if (!p.functions.empty()) {
    out +=
        "#### Hottest functions\n\n| function | self cycles | self % | total cycles | calls |\n"
        "|---|--:|--:|--:|--:|\n";
    size_t shown = 0;
    for (const FunctionProfile& f : p.functions) {
      if (shown++ >= options.top_functions) break;
      out += fmt::format("| `{}` | {} | {} | {} | {} |\n", cell(f.demangled),
                         with_commas(int64_t(f.exclusive.get(Metric::kCycles))),
                         percent(f.exclusive.get(Metric::kCycles), total),
                         with_commas(int64_t(f.inclusive.get(Metric::kCycles))),
                         with_commas(int64_t(f.calls)));
    }
    out += "\n";
  }
  for (const std::string& w : p.warnings) out += fmt::format("> warning: {}\n", cell(w));
  return out;
}

}  // namespace tinysim::profiler
