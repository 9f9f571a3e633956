// Compare reports: compare rows rendered as a terminal table, JSON (schema tinysim.compare/1,
// docs/cli.md), CSV (RFC 4180, one row per board) and Markdown. Absent values (no energy figure,
// no price, a skipped board) are "n/a" in text and null in JSON, empty in CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "profiler/compare.h"

namespace tinysim::profiler {

inline constexpr const char* kCompareSchema = "tinysim.compare/1";

// {"schema", "sort", "rows": [{board, core, clock_hz, firmware, selection, status, error,
//   latency_ms, latency_scope, energy_uj, energy_model, energy_estimate, cycles, instructions,
//   sram_peak_bytes, board_sram_bytes, sram_fits, sram_margin_bytes, sram_margin_percent,
//   flash_bytes, board_flash_bytes, flash_fits, flash_margin_bytes, flash_margin_percent,
//   board_price_usd, chip_price_usd}]}
nlohmann::json compare_row_to_json(const CompareRow& row);
nlohmann::json compare_to_json(const std::vector<CompareRow>& rows, const std::string& sort);
// Rows in the given order; skipped and failed boards listed under the table with the reason.
std::string render_compare_table(const std::vector<CompareRow>& rows);
std::string render_compare_csv(const std::vector<CompareRow>& rows);
std::string render_compare_markdown(const std::vector<CompareRow>& rows);

// Cell texts shared with the fit report: "12.345", "n/a"; "17,504 B (93.3% free)"; "$12.50".
std::string latency_text(const CompareRow& row);
std::string energy_text(const CompareRow& row);
std::string memory_text(uint64_t used, bool fits, double margin_percent, int64_t margin_bytes);
std::string price_text(const std::optional<double>& usd);

}  // namespace tinysim::profiler
