#include "profiler/report_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "profiler/report.h"

namespace tinysim::profiler {
namespace detail {

std::string format_metric(Metric metric, double value) {
  switch (metric) {
    case Metric::kTimeUs:
      return fmt::format("{:.3f}", value / 1000.0);  // shown in ms
    case Metric::kCyclesPerInstruction:
    case Metric::kCyclesPerMac:
      return fmt::format("{:.2f}", value);
    case Metric::kEnergyUj:
      return fmt::format("{:.2f}", value);
    default:
      return with_commas(static_cast<int64_t>(value));
  }
}

std::string metric_heading(Metric metric) {
  switch (metric) {
    case Metric::kTimeUs:
      return "time_ms";
    case Metric::kCyclesPerInstruction:
      return "CPI";
    case Metric::kCyclesPerMac:
      return "cyc/MAC";
    case Metric::kStackPeakBytes:
      return "stack_B";
    case Metric::kHeapPeakBytes:
      return "heap_B";
    case Metric::kArenaWrittenBytes:
      return "arena_B";
    case Metric::kFlashCodeBytes:
      return "code_B";
    case Metric::kEnergyUj:
      return "energy_uJ";
    case Metric::kInstructions:
      return "instructions";
    default:
      return metric_info(metric).key;
  }
}

std::vector<Metric> present_metrics(const std::vector<const Metrics*>& sets) {
  // Table order: time next to cycles, ratios after the counts they divide.
  static const Metric kOrder[] = {
      Metric::kCycles,
      Metric::kTimeUs,
      Metric::kInstructions,
      Metric::kCyclesPerInstruction,
      Metric::kMacs,
      Metric::kCyclesPerMac,
      Metric::kMemoryStallCycles,
      Metric::kCacheHits,
      Metric::kCacheMisses,
      Metric::kEnergyUj,
      Metric::kStackPeakBytes,
      Metric::kHeapPeakBytes,
      Metric::kArenaWrittenBytes,
      Metric::kFlashCodeBytes,
  };
  static_assert(std::size(kOrder) == kMetricCount);
  std::vector<Metric> out;
  for (Metric m : kOrder) {
    for (const Metrics* s : sets) {
      if (s->has(m)) {
        out.push_back(m);
        break;
      }
    }
  }
  return out;
}

std::string percent(double part, double whole) {
  if (whole <= 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * part / whole);
}

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline and carriage return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::vector<const OperatorProfile*> ordered_operators(const Profile& profile, bool by_index) {
  std::vector<const OperatorProfile*> ops;
  for (const OperatorProfile& op : profile.operators) ops.push_back(&op);
  if (!by_index) {
    std::stable_sort(ops.begin(), ops.end(),
                     [](const OperatorProfile* a, const OperatorProfile* b) {
                       return a->metrics.get(Metric::kCycles) > b->metrics.get(Metric::kCycles);
                     });
  }
  return ops;
}

std::string fit_text(uint64_t used, uint64_t available, bool fits, int64_t margin) {
  if (fits) {
    return fmt::format("{} B of {} B (fits, {} B free)", with_commas(int64_t(used)),
                       with_commas(int64_t(available)), with_commas(margin));
  }
  return fmt::format("{} B of {} B (DOES NOT FIT, {} B short)", with_commas(int64_t(used)),
                     with_commas(int64_t(available)), with_commas(-margin));
}

void TextTable::add_column(std::string heading, bool right) {
  headings_.push_back(std::move(heading));
  right_.push_back(right);
}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(headings_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::add_rule() {
  rows_.emplace_back();
}

std::string TextTable::render(const std::string& indent) const {
  std::vector<size_t> width(headings_.size());
  for (size_t c = 0; c < headings_.size(); ++c) width[c] = headings_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = indent;
    for (size_t c = 0; c < cells.size(); ++c) {
      const bool last = c + 1 == cells.size();
      if (right_[c]) {
        out += std::string(width[c] - cells[c].size(), ' ') + cells[c];
      } else {
        out += cells[c];
        if (!last) out += std::string(width[c] - cells[c].size(), ' ');
      }
      if (!last) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  size_t total = 0;
  for (size_t w : width) total += w + 2;
  std::string out = line(headings_);
  for (const auto& row : rows_) {
    out += row.empty() ? indent + std::string(total > 2 ? total - 2 : 0, '-') + "\n" : line(row);
  }
  return out;
}

}  // namespace detail

const char* format_name(Format format) {
  switch (format) {
    case Format::kTable:
      return "table";
    case Format::kJson:
      return "json";
    case Format::kCsv:
      return "csv";
    case Format::kChromeTrace:
      return "chrome-trace";
    case Format::kFolded:
      return "folded";
    case Format::kMarkdown:
      return "markdown";
    case Format::kJunit:
      return "junit";
  }
  return "table";
}

std::optional<Format> format_by_name(std::string_view name) {
  for (Format f : {Format::kTable, Format::kJson, Format::kCsv, Format::kChromeTrace,
                   Format::kFolded, Format::kMarkdown, Format::kJunit}) {
    if (name == format_name(f)) return f;
  }
  return std::nullopt;
}

std::string format_names() {
  return "table, json, csv, chrome-trace, folded, markdown, junit";
}

std::string render(const Profile& profile, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::kTable:
      return render_table(profile, options);
    case Format::kJson:
      return profile_to_json(profile).dump(2) + "\n";
    case Format::kCsv:
      return render_csv(profile);
    case Format::kChromeTrace:
      return chrome_trace_json(profile).dump() + "\n";
    case Format::kFolded:
      return render_folded(profile);
    case Format::kMarkdown:
      return render_markdown(profile, options);
    case Format::kJunit:
      return render_junit(profile);
  }
  return {};
}

}  // namespace tinysim::profiler
