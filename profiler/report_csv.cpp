// CSV (RFC 4180): one row per operator, then the outside-operators and total rows.
#include <fmt/format.h>

#include <cmath>

#include "profiler/report.h"
#include "profiler/report_format.h"

namespace tinysim::profiler {
namespace {

std::string quote(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number(Metric m, double v) {
  if (metric_info(m).integral) return std::to_string(static_cast<uint64_t>(std::llround(v)));
  return fmt::format("{:.6g}", v);
}

}  // namespace

std::string render_csv(const Profile& p) {
  std::vector<const Metrics*> sets{&p.total, &p.outside_operators};
  for (const OperatorProfile& op : p.operators) sets.push_back(&op.metrics);
  const std::vector<Metric> metrics = detail::present_metrics(sets);

  std::string out = "row,index,name,kind,function,invocations,complete";
  for (Metric m : metrics) out += fmt::format(",{}", metric_info(m).key);
  out += "\r\n";
  auto row = [&](const std::string& what, const std::string& index, const std::string& name,
                 const std::string& kind, const std::string& function,
                 const std::string& invocations, const std::string& complete,
                 const Metrics& values) {
    out += fmt::format("{},{},{},{},{},{},{}", what, index, quote(name), quote(kind),
                       quote(function), invocations, complete);
    for (Metric m : metrics) out += "," + (values.has(m) ? number(m, values.get(m)) : "");
    out += "\r\n";
  };
  for (const OperatorProfile& op : p.operators) {
    row("operator", std::to_string(op.index), op.name, op.kind, op.function,
        std::to_string(op.invocations), op.complete ? "true" : "false", op.metrics);
  }
  row("outside", "", "(outside operators)", "", "", "", "", p.outside_operators);
  row("total", "", "(total)", "", "", "", p.run.partial ? "false" : "true", p.total);
  return out;
}

}  // namespace tinysim::profiler
