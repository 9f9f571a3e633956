// Helpers shared by the report_*.cpp renderers (not a public interface).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "profiler/metrics.h"
#include "profiler/profile.h"
#include "sim/number_format.h"

namespace tinysim::profiler::detail {

using sim::with_commas;  // 1234567 -> "1,234,567"
// A metric's value for people: counts with commas, time in ms, ratios with two decimals.
std::string format_metric(Metric metric, double value);
// Column heading of a metric in tables, with its unit: "cycles", "time_ms", "CPI", "stack_B".
std::string metric_heading(Metric metric);
// The metrics present in any of `sets`, in table order (derived ones after cycles).
std::vector<Metric> present_metrics(const std::vector<const Metrics*>& sets);
// "12.3%" of `part` in `whole` ("-" when whole is 0).
std::string percent(double part, double whole);
// The file name of a path.
std::string base_name(const std::string& path);
// `s` without leading and trailing white space.
std::string_view trim(std::string_view s);
// `s` escaped for XML text and attribute values; control characters XML 1.0 forbids become '?'.
std::string xml_escape(const std::string& s);
// Operators in display order: hottest first, or by index.
std::vector<const OperatorProfile*> ordered_operators(const Profile& profile, bool by_index);
// "17,504 B of 262,144 B (fits, 244,640 B free)".
std::string fit_text(uint64_t used, uint64_t available, bool fits, int64_t margin);

// A text table: columns aligned, numbers right-aligned, two spaces between columns.
class TextTable {
 public:
  // `right`: right-align this column.
  void add_column(std::string heading, bool right);
  void add_row(std::vector<std::string> cells);
  void add_rule();  // a horizontal line before the next row
  std::string render(const std::string& indent) const;

 private:
  std::vector<std::string> headings_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

}  // namespace tinysim::profiler::detail
