// Gate: limit parsing, the checks (whole run, then per operator), and the gate's reports: a
// terminal table, Markdown and JUnit XML (see gate.h).
#include "profiler/gate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "profiler/profile_diff.h"
#include "profiler/report_format.h"

namespace tinysim::profiler {
namespace {

using detail::trim;
using detail::xml_escape;

struct Alias {
  const char* name;
  GateQuantity quantity;
  Metric metric;
};
constexpr Alias kAliases[] = {
    {"sram", GateQuantity::kSramPeak, Metric::kCycles},
    {"flash", GateQuantity::kFlashSize, Metric::kCycles},
    {"energy", GateQuantity::kMetric, Metric::kEnergyUj},
    {"time", GateQuantity::kMetric, Metric::kTimeUs},
    {"stack", GateQuantity::kMetric, Metric::kStackPeakBytes},
    {"stalls", GateQuantity::kMetric, Metric::kMemoryStallCycles},
};

std::string known_keys() {
  std::string out;
  for (const Alias& a : kAliases) out += std::string(out.empty() ? "" : ", ") + a.name;
  for (const MetricInfo& m : all_metrics()) out += std::string(", ") + m.key;
  return out;
}

bool integral(const GateLimit& l) {
  return l.quantity != GateQuantity::kMetric || metric_info(l.metric).integral;
}

std::string number(const GateLimit& l, double v) {
  if (integral(l)) return detail::with_commas(static_cast<int64_t>(std::llround(v)));
  return fmt::format("{:.3f}", v);
}

std::string signed_number(const GateLimit& l, double v) {
  return (v > 0 ? "+" : "") + number(l, v);
}

std::optional<double> quantity_of(const Profile& p, const GateLimit& l) {
  switch (l.quantity) {
    case GateQuantity::kSramPeak:
      return double(p.memory.sram_peak_bytes);
    case GateQuantity::kFlashSize:
      return double(p.memory.flash_bytes);
    case GateQuantity::kMetric:
      if (!p.total.has(l.metric)) return std::nullopt;
      return p.total.get(l.metric);
  }
  return std::nullopt;
}

std::optional<double> metric_of(const std::optional<Metrics>& m, Metric metric) {
  if (!m || !m->has(metric)) return std::nullopt;
  return m->get(metric);
}

// Fills the arithmetic of `c` from its baseline and current values.
void judge(GateCheck& c) {
  const std::string name = gate_limit_name(c.limit);
  if (!c.baseline || !c.current) {
    c.regressed = true;
    c.reason = fmt::format("{} not measured in the {}", name,
                           !c.baseline && !c.current ? "baseline nor the new run"
                           : !c.baseline             ? "baseline"
                                                     : "new run");
    return;
  }
  c.delta = *c.current - *c.baseline;
  if (*c.baseline != 0) c.delta_percent = 100.0 * c.delta / *c.baseline;
  c.allowed = c.limit.relative ? c.limit.amount * *c.baseline / 100.0 : c.limit.amount;
  // A relative tolerance for non-integral metrics (energy) against rounding in the JSON.
  const double slack = integral(c.limit) ? 0 : 1e-9 * std::fabs(*c.baseline);
  c.regressed = c.delta > c.allowed + slack;
}

std::string change_text(const GateCheck& c) {
  if (!c.baseline || !c.current) return "n/a";
  std::string out = signed_number(c.limit, c.delta);
  if (c.delta_percent) {
    out += fmt::format(" ({:+.2f}%)", *c.delta_percent);
  } else if (c.delta != 0) {
    out += " (from 0)";
  }
  return out;
}

std::string value_text(const GateCheck& c, const std::optional<double>& v) {
  return v ? number(c.limit, *v) : "n/a";
}

// "conv_2d_2 cycles +14.30% (+120,000; limit +2%)".
std::string describe(const GateCheck& c) {
  const std::string name = gate_limit_name(c.limit);
  if (!c.reason.empty() && (!c.baseline || !c.current)) {
    return fmt::format("{} {}: {}", c.scope, name, c.reason);
  }
  std::string pct = c.delta_percent ? fmt::format("{:+.2f}%", *c.delta_percent) : "from 0";
  return fmt::format("{} {} {} ({} {}; limit {})", c.scope, name, pct,
                     signed_number(c.limit, c.delta), gate_limit_unit(c.limit), c.limit.text);
}

std::string md_cell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|')
      out += "\\|";
    else if (ch == '\n')
      out += ' ';
    else
      out += ch;
  }
  return out;
}

}  // namespace

StatusOr<std::vector<GateLimit>> parse_gate_limits(std::string_view text) {
  std::vector<GateLimit> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) {
      if (comma == text.size()) break;
      continue;
    }
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Status{StatusCode::kInvalidArgument,
                    fmt::format("--max item '{}': expected KEY=LIMIT, e.g. cycles=+2%", item)};
    }
    GateLimit l;
    l.key = std::string(trim(item.substr(0, eq)));
    l.text = std::string(trim(item.substr(eq + 1)));
    bool known = false;
    for (const Alias& a : kAliases) {
      if (l.key == a.name) {
        l.quantity = a.quantity;
        l.metric = a.metric;
        known = true;
      }
    }
    if (!known) {
      if (auto m = metric_by_key(l.key)) {
        l.metric = *m;
        known = true;
      }
    }
    if (!known) {
      return Status{
          StatusCode::kInvalidArgument,
          fmt::format("--max item '{}': unknown key '{}' (known: {})", item, l.key, known_keys())};
    }
    std::string value = l.text;
    if (!value.empty() && value.back() == '%') {
      l.relative = true;
      value.pop_back();
    }
    char* end = nullptr;
    l.amount = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != 0 || !std::isfinite(l.amount)) {
      return Status{StatusCode::kInvalidArgument,
                    fmt::format("--max item '{}': '{}' is not a limit (expected +N% relative to "
                                "the baseline, or +N in {})",
                                item, l.text, gate_limit_unit(l))};
    }
    out.push_back(std::move(l));
  }
  if (out.empty()) {
    return Status{StatusCode::kInvalidArgument,
                  "--max: no limits given (e.g. --max cycles=+2%,sram=+0)"};
  }
  return out;
}

std::string gate_limit_name(const GateLimit& limit) {
  switch (limit.quantity) {
    case GateQuantity::kSramPeak:
      return "sram_peak_bytes";
    case GateQuantity::kFlashSize:
      return "flash_bytes";
    case GateQuantity::kMetric:
      return metric_info(limit.metric).key;
  }
  return "?";
}

std::string gate_limit_unit(const GateLimit& limit) {
  if (limit.quantity != GateQuantity::kMetric) return "bytes";
  return metric_info(limit.metric).unit;
}

std::vector<const GateCheck*> GateResult::regressions() const {
  std::vector<const GateCheck*> out;
  for (const GateCheck& c : checks) {
    if (c.regressed) out.push_back(&c);
  }
  std::stable_sort(out.begin(), out.end(), [](const GateCheck* a, const GateCheck* b) {
    const double pa = a->delta_percent.value_or(a->delta > 0 ? INFINITY : 0);
    const double pb = b->delta_percent.value_or(b->delta > 0 ? INFINITY : 0);
    if (pa != pb) return pa > pb;
    return a->delta > b->delta;
  });
  return out;
}

GateResult evaluate_gate(const Profile& baseline, const Profile& current,
                         const std::vector<GateLimit>& limits, std::string baseline_label,
                         std::string current_label) {
  GateResult r;
  r.baseline_label = std::move(baseline_label);
  r.current_label = std::move(current_label);
  r.board = current.board.name;
  if (current.run.partial) {
    r.run_ok = false;
    r.run_problem = fmt::format("the new run did not finish ({} at {}): partial numbers",
                                current.run.stop_reason, current.run.stop_location);
  }
  if (baseline.run.partial) {
    r.notes.push_back(fmt::format("the baseline run did not finish ({}): partial numbers",
                                  baseline.run.stop_reason));
  }
  if (baseline.board.name != current.board.name) {
    r.notes.push_back(fmt::format("different boards: baseline on {}, new on {}",
                                  baseline.board.name, current.board.name));
  } else if (baseline.board.clock_hz != current.board.clock_hz) {
    r.notes.push_back(fmt::format("different clocks: baseline at {} Hz, new at {} Hz",
                                  baseline.board.clock_hz, current.board.clock_hz));
  }
  if (!baseline.firmware.fnv1a64.empty() && baseline.firmware.fnv1a64 == current.firmware.fnv1a64) {
    r.notes.push_back("the firmware is identical (same fnv1a64)");
  }

  for (const GateLimit& l : limits) {
    GateCheck c;
    c.scope = "total";
    c.limit = l;
    c.baseline = quantity_of(baseline, l);
    c.current = quantity_of(current, l);
    judge(c);
    r.checks.push_back(std::move(c));
  }
  const ProfileDiff d = diff_profiles(baseline, current, r.baseline_label, r.current_label);
  for (const OperatorDiff& op : d.operators) {
    if (!op.a) {
      r.notes.push_back(fmt::format("operator {} ({}) is new", op.name, op.kind));
      continue;
    }
    if (!op.b) {
      r.notes.push_back(fmt::format("operator {} ({}) is gone", op.name, op.kind));
      continue;
    }
    for (const GateLimit& l : limits) {
      if (l.quantity != GateQuantity::kMetric) continue;
      GateCheck c;
      c.scope = op.name;
      c.kind = op.kind;
      c.limit = l;
      c.baseline = metric_of(op.a, l.metric);
      c.current = metric_of(op.b, l.metric);
      // Operators without the metric on either side (MACs of a pooling op) have nothing to check.
      if (!c.baseline && !c.current) continue;
      judge(c);
      r.checks.push_back(std::move(c));
    }
  }
  r.pass = r.run_ok && std::none_of(r.checks.begin(), r.checks.end(),
                                    [](const GateCheck& c) { return c.regressed; });
  return r;
}

std::string gate_summary(const GateResult& r) {
  if (r.pass) return fmt::format("gate passed: {} checks within limits", r.checks.size());
  std::string out = "gate failed: ";
  bool first = true;
  if (!r.run_ok) {
    out += r.run_problem;
    first = false;
  }
  for (const GateCheck* c : r.regressions()) {
    out += (first ? "" : ", ") + describe(*c);
    first = false;
  }
  return out;
}

std::string render_gate_table(const GateResult& r) {
  std::string out = fmt::format("tinysim gate: {} against {} on {}\n", r.current_label,
                                r.baseline_label, r.board);
  detail::TextTable t;
  t.add_column("", false);
  t.add_column("scope", false);
  t.add_column("metric", false);
  t.add_column("baseline", true);
  t.add_column("new", true);
  t.add_column("change", true);
  t.add_column("limit", true);
  for (const GateCheck& c : r.checks) {
    t.add_row({c.regressed ? "FAIL" : "ok", c.scope, gate_limit_name(c.limit),
               value_text(c, c.baseline), value_text(c, c.current), change_text(c), c.limit.text});
  }
  out += t.render("  ");
  for (const std::string& n : r.notes) out += "  note: " + n + "\n";
  out += gate_summary(r) + "\n";
  return out;
}

std::string render_gate_markdown(const GateResult& r) {
  std::string out = fmt::format("## tinysim gate: {}\n\n", r.pass ? "passed" : "FAILED");
  out += fmt::format("New: `{}` · baseline: `{}` · board: `{}`\n\n", md_cell(r.current_label),
                     md_cell(r.baseline_label), md_cell(r.board));
  if (!r.run_ok) out += "**" + md_cell(r.run_problem) + "**\n\n";
  auto header = [](std::string& s) {
    s += "| scope | metric | baseline | new | change | limit | result |\n";
    s += "|---|---|---:|---:|---:|---:|---|\n";
  };
  auto row = [](std::string& s, const GateCheck& c) {
    s += fmt::format(
        "| {} | {} | {} | {} | {} | {} | {} |\n", md_cell(c.scope), gate_limit_name(c.limit),
        value_text(c, c.baseline), value_text(c, c.current), change_text(c), md_cell(c.limit.text),
        c.regressed ? (c.reason.empty() ? "**regressed**" : "**" + md_cell(c.reason) + "**")
                    : "ok");
  };
  const std::vector<const GateCheck*> regs = r.regressions();
  if (!regs.empty()) {
    out += fmt::format("### Regressions ({})\n\n", regs.size());
    header(out);
    for (const GateCheck* c : regs) row(out, *c);
    out += "\n";
  }
  out += fmt::format("<details><summary>All {} checks</summary>\n\n", r.checks.size());
  header(out);
  for (const GateCheck& c : r.checks) row(out, c);
  out += "\n</details>\n";
  if (!r.notes.empty()) {
    out += "\n";
    for (const std::string& n : r.notes) out += "- " + md_cell(n) + "\n";
  }
  return out;
}

std::string render_gate_junit(const GateResult& r) {
  size_t failures = r.run_ok ? 0 : 1;
  for (const GateCheck& c : r.checks) failures += c.regressed ? 1 : 0;
  const size_t tests = r.checks.size() + 1;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"tinysim gate\" tests=\"{}\" failures=\"{}\">\n", tests,
                     failures);
  out +=
      fmt::format("  <testsuite name=\"tinysim.gate\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                  tests, failures);
  out += fmt::format(
      "    <properties>\n      <property name=\"baseline\" value=\"{}\"/>\n"
      "      <property name=\"new\" value=\"{}\"/>\n"
      "      <property name=\"board\" value=\"{}\"/>\n    </properties>\n",
      xml_escape(r.baseline_label), xml_escape(r.current_label), xml_escape(r.board));
  out += "    <testcase classname=\"tinysim.gate.run\" name=\"new run completes\">\n";
  if (!r.run_ok) {
    out += fmt::format("      <failure message=\"{}\" type=\"incomplete\"/>\n",
                       xml_escape(r.run_problem));
  }
  out += "    </testcase>\n";
  for (const GateCheck& c : r.checks) {
    out += fmt::format("    <testcase classname=\"tinysim.gate.{}\" name=\"{} {}\">\n",
                       xml_escape(c.scope), xml_escape(gate_limit_name(c.limit)),
                       xml_escape(c.limit.text));
    if (c.regressed) {
      out += fmt::format(
          "      <failure message=\"{}\" type=\"regression\">baseline {}\nnew {}\nchange {}\nlimit "
          "{}</failure>\n",
          xml_escape(describe(c)), xml_escape(value_text(c, c.baseline)),
          xml_escape(value_text(c, c.current)), xml_escape(change_text(c)),
          xml_escape(c.limit.text));
    } else {
      out += fmt::format("      <system-out>baseline {} new {} change {}</system-out>\n",
                         xml_escape(value_text(c, c.baseline)),
                         xml_escape(value_text(c, c.current)), xml_escape(change_text(c)));
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace tinysim::profiler
