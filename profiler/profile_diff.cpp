#include "profiler/profile_diff.h"

#include <fmt/format.h>

#include <map>

#include "profiler/report.h"
#include "profiler/report_format.h"

namespace tinysim::profiler {

using namespace detail;

ProfileDiff diff_profiles(const Profile& a, const Profile& b, std::string label_a,
                          std::string label_b) {
  ProfileDiff d;
  d.label_a = std::move(label_a);
  d.label_b = std::move(label_b);
  d.total_a = a.total;
  d.total_b = b.total;
  d.outside_a = a.outside_operators;
  d.outside_b = b.outside_operators;
  d.sram_peak_a = a.memory.sram_peak_bytes;
  d.sram_peak_b = b.memory.sram_peak_bytes;
  d.flash_a = a.memory.flash_bytes;
  d.flash_b = b.memory.flash_bytes;
  std::vector<bool> used(a.operators.size(), false);
  auto find_in_a = [&](const OperatorProfile& op) -> int {
    for (size_t i = 0; i < a.operators.size(); ++i) {
      if (!used[i] && a.operators[i].name == op.name) return static_cast<int>(i);
    }
    for (size_t i = 0; i < a.operators.size(); ++i) {
      if (!used[i] && a.operators[i].kind == op.kind && a.operators[i].index == op.index) {
        return static_cast<int>(i);
      }
    }
    return -1;
  };
  for (const OperatorProfile& op : b.operators) {
    OperatorDiff o{op.name, op.kind, std::nullopt, op.metrics};
    if (const int i = find_in_a(op); i >= 0) {
      used[static_cast<size_t>(i)] = true;
      o.a = a.operators[static_cast<size_t>(i)].metrics;
    }
    d.operators.push_back(std::move(o));
  }
  for (size_t i = 0; i < a.operators.size(); ++i) {
    if (!used[i]) {
      d.operators.push_back(
          {a.operators[i].name, a.operators[i].kind, a.operators[i].metrics, std::nullopt});
    }
  }
  return d;
}

namespace {

std::string delta_percent(double a, double b) {
  if (a == 0) return b == 0 ? "0.0%" : "new";
  return fmt::format("{:+.1f}%", 100.0 * (b - a) / a);
}

std::string delta(double a, double b) {
  const auto v = static_cast<int64_t>(b) - static_cast<int64_t>(a);
  return (v > 0 ? "+" : "") + with_commas(v);
}

}  // namespace

std::string render_diff_table(const ProfileDiff& d) {
  TextTable t;
  t.add_column("operator", false);
  t.add_column("kind", false);
  t.add_column("cycles_A", true);
  t.add_column("cycles_B", true);
  t.add_column("delta", true);
  t.add_column("delta_%", true);
  t.add_column("stack_B_A", true);
  t.add_column("stack_B_B", true);
  auto row = [&](const std::string& name, const std::string& kind, const std::optional<Metrics>& a,
                 const std::optional<Metrics>& b) {
    const double ca = a ? a->get(Metric::kCycles) : 0, cb = b ? b->get(Metric::kCycles) : 0;
    auto stack = [](const std::optional<Metrics>& m) {
      return m && m->has(Metric::kStackPeakBytes)
                 ? with_commas(int64_t(m->get(Metric::kStackPeakBytes)))
                 : std::string();
    };
    t.add_row({name, kind, a ? with_commas(int64_t(ca)) : "-", b ? with_commas(int64_t(cb)) : "-",
               a && b ? delta(ca, cb) : "",
               a && b ? delta_percent(ca, cb) : (a ? "removed" : "added"), stack(a), stack(b)});
  };
  for (const OperatorDiff& o : d.operators) row(o.name, o.kind, o.a, o.b);
  t.add_rule();
  row("(outside operators)", "", d.outside_a, d.outside_b);
  row("total", "", d.total_a, d.total_b);
  std::string out = fmt::format("tinysim diff: A = {}, B = {}\n", d.label_a, d.label_b);
  out += t.render("  ");
  out += fmt::format("  SRAM peak  {} B -> {} B ({})\n", with_commas(int64_t(d.sram_peak_a)),
                     with_commas(int64_t(d.sram_peak_b)),
                     delta(double(d.sram_peak_a), double(d.sram_peak_b)));
  out += fmt::format("  flash      {} B -> {} B ({})\n", with_commas(int64_t(d.flash_a)),
                     with_commas(int64_t(d.flash_b)), delta(double(d.flash_a), double(d.flash_b)));
  return out;
}

nlohmann::json diff_to_json(const ProfileDiff& d) {
  using nlohmann::json;
  json ops = json::array();
  for (const OperatorDiff& o : d.operators) {
    ops.push_back({{"name", o.name},
                   {"kind", o.kind},
                   {"a", o.a ? metrics_to_json(*o.a) : json(nullptr)},
                   {"b", o.b ? metrics_to_json(*o.b) : json(nullptr)}});
  }
  return {{"schema", "tinysim.diff/1"},
          {"a", d.label_a},
          {"b", d.label_b},
          {"total", {{"a", metrics_to_json(d.total_a)}, {"b", metrics_to_json(d.total_b)}}},
          {"outside_operators",
           {{"a", metrics_to_json(d.outside_a)}, {"b", metrics_to_json(d.outside_b)}}},
          {"sram_peak_bytes", {{"a", d.sram_peak_a}, {"b", d.sram_peak_b}}},
          {"flash_bytes", {{"a", d.flash_a}, {"b", d.flash_b}}},
          {"operators", ops}};
}

}  // namespace tinysim::profiler
