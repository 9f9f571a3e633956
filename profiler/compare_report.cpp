#include "profiler/compare_report.h"

#include <fmt/format.h>

#include "profiler/report_format.h"

namespace tinysim::profiler {
namespace {

nlohmann::json opt(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_opt(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : std::string();
}

bool measured(const CompareRow& r) {
  return r.status == RowStatus::kOk || r.status == RowStatus::kFailed ||
         r.status == RowStatus::kDoesNotFit || (r.status == RowStatus::kCancelled && r.profile);
}

std::string clock_mhz(uint64_t hz) {
  if (hz % 1000000 == 0) return std::to_string(hz / 1000000);
  return fmt::format("{:.3f}", double(hz) / 1e6);
}

std::string status_text(const CompareRow& r) {
  if (r.status == RowStatus::kOk) return "ok";
  return row_status_name(r.status);
}

// The columns of the table and Markdown reports.
std::vector<std::string> cells(const CompareRow& r) {
  const bool m = measured(r);
  return {
      r.board,
      r.core,
      clock_mhz(r.clock_hz),
      r.firmware.empty() ? "-" : detail::base_name(r.firmware),
      latency_text(r),
      energy_text(r),
      m ? memory_text(r.sram_peak_bytes, r.sram_fits, r.sram_margin_percent, r.sram_margin_bytes)
        : "n/a",
      m ? memory_text(r.flash_bytes, r.flash_fits, r.flash_margin_percent, r.flash_margin_bytes)
        : "n/a",
      price_text(r.board_price_usd),
      price_text(r.chip_price_usd),
      status_text(r)};
}

const std::vector<std::pair<const char*, bool>>& headings() {
  static const std::vector<std::pair<const char*, bool>> h = {
      {"board", false},     {"core", false},     {"MHz", true},       {"firmware", false},
      {"latency_ms", true}, {"energy_uJ", true}, {"SRAM peak", true}, {"flash", true},
      {"board $", true},    {"chip $", true},    {"status", false}};
  return h;
}

std::string problems(const std::vector<CompareRow>& rows, const std::string& bullet) {
  std::string out;
  for (const CompareRow& r : rows) {
    if (r.status == RowStatus::kOk) continue;
    out += fmt::format("{}{} {}: {}\n", bullet, r.board, row_status_name(r.status), r.error);
  }
  return out;
}

}  // namespace

std::string latency_text(const CompareRow& r) {
  return r.latency_ms ? fmt::format("{:.3f}", *r.latency_ms) : "n/a";
}

std::string energy_text(const CompareRow& r) {
  if (!r.energy_uj) return "n/a";
  return fmt::format("{:.1f}{}", *r.energy_uj, r.energy_estimate ? "~" : "");
}

std::string memory_text(uint64_t used, bool fits, double margin_percent, int64_t margin_bytes) {
  if (!fits) {
    return fmt::format("{} B (short {} B)", detail::with_commas(int64_t(used)),
                       detail::with_commas(-margin_bytes));
  }
  return fmt::format("{} B ({:.1f}% free)", detail::with_commas(int64_t(used)), margin_percent);
}

std::string price_text(const std::optional<double>& usd) {
  return usd ? fmt::format("{:.2f}", *usd) : "n/a";
}

nlohmann::json compare_row_to_json(const CompareRow& r) {
  nlohmann::json j;
  j["board"] = r.board;
  j["core"] = r.core;
  j["clock_hz"] = r.clock_hz;
  j["firmware"] = r.firmware.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.firmware);
  j["selection"] = r.selection;
  j["status"] = row_status_name(r.status);
  j["error"] = r.error;
  j["latency_ms"] = opt(r.latency_ms);
  j["latency_scope"] = r.latency_scope;
  j["energy_uj"] = opt(r.energy_uj);
  j["energy_model"] = r.energy_model;
  j["energy_estimate"] = r.energy_estimate;
  if (r.profile) {
    j["cycles"] = r.profile->total.get_u64(Metric::kCycles);
    j["instructions"] = r.profile->total.get_u64(Metric::kInstructions);
  } else {
    j["cycles"] = nullptr;
    j["instructions"] = nullptr;
  }
  const bool m = measured(r);
  auto mem = [&](const char* key, auto value) {
    j[key] = m ? nlohmann::json(value) : nlohmann::json(nullptr);
  };
  mem("sram_peak_bytes", r.sram_peak_bytes);
  j["board_sram_bytes"] = r.board_sram_bytes;
  mem("sram_fits", r.sram_fits);
  mem("sram_margin_bytes", r.sram_margin_bytes);
  mem("sram_margin_percent", r.sram_margin_percent);
  mem("flash_bytes", r.flash_bytes);
  j["board_flash_bytes"] = r.board_flash_bytes;
  mem("flash_fits", r.flash_fits);
  mem("flash_margin_bytes", r.flash_margin_bytes);
  mem("flash_margin_percent", r.flash_margin_percent);
  j["board_price_usd"] = opt(r.board_price_usd);
  j["chip_price_usd"] = opt(r.chip_price_usd);
  return j;
}

nlohmann::json compare_to_json(const std::vector<CompareRow>& rows, const std::string& sort) {
  nlohmann::json j;
  j["schema"] = kCompareSchema;
  j["sort"] = sort;
  j["rows"] = nlohmann::json::array();
  for (const CompareRow& r : rows) j["rows"].push_back(compare_row_to_json(r));
  return j;
}

std::string render_compare_table(const std::vector<CompareRow>& rows) {
  detail::TextTable t;
  for (const auto& [h, right] : headings()) t.add_column(h, right);
  for (const CompareRow& r : rows) t.add_row(cells(r));
  std::string out = t.render("");
  const std::string p = problems(rows, "  ");
  if (!p.empty()) out += "not compared:\n" + p;
  bool estimate = false;
  for (const CompareRow& r : rows) estimate = estimate || (r.energy_uj && r.energy_estimate);
  if (estimate)
    out += "~ energy from a datasheet estimate (not calibrated), docs/power-models.md\n";
  return out;
}

std::string render_compare_csv(const std::vector<CompareRow>& rows) {
  std::string out =
      "board,core,clock_hz,firmware,status,latency_ms,latency_scope,energy_uj,sram_peak_bytes,"
      "board_sram_bytes,sram_fits,sram_margin_bytes,flash_bytes,board_flash_bytes,flash_fits,"
      "flash_margin_bytes,board_price_usd,chip_price_usd,error\r\n";
  for (const CompareRow& r : rows) {
    const bool m = measured(r);
    auto num = [&](auto v) { return m ? fmt::format("{}", v) : std::string(); };
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
                       csv_cell(r.board), csv_cell(r.core), r.clock_hz, csv_cell(r.firmware),
                       row_status_name(r.status), csv_opt(r.latency_ms), r.latency_scope,
                       csv_opt(r.energy_uj), num(r.sram_peak_bytes), r.board_sram_bytes,
                       m ? (r.sram_fits ? "true" : "false") : "", num(r.sram_margin_bytes),
                       num(r.flash_bytes), r.board_flash_bytes,
                       m ? (r.flash_fits ? "true" : "false") : "", num(r.flash_margin_bytes),
                       csv_opt(r.board_price_usd), csv_opt(r.chip_price_usd), csv_cell(r.error));
  }
  return out;
}

std::string render_compare_markdown(const std::vector<CompareRow>& rows) {
  std::string out = "| ";
  std::string rule = "|";
  for (const auto& [h, right] : headings()) {
    out += std::string(h) + " | ";
    rule += right ? "---:|" : "---|";
  }
  out.pop_back();
  out += "\n" + rule + "\n";
  for (const CompareRow& r : rows) {
    std::string line = "|";
    for (std::string c : cells(r)) {
      std::string esc;
      for (char ch : c) esc += ch == '|' ? std::string("\\|") : std::string(1, ch);
      line += " " + esc + " |";
    }
    out += line + "\n";
  }
  const std::string p = problems(rows, "- ");
  if (!p.empty()) out += "\nNot compared:\n\n" + p;
  return out;
}

}  // namespace tinysim::profiler
