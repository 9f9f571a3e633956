// Reports: a Profile rendered for people and for tools, one format per report_*.cpp.
//
// - table: the terminal report (operators hottest first, functions, source lines, memory).
// - json: the documented, versioned document (docs/profile-json.md, schema tinysim.profile/1,
//   JSON Schema docs/profile.schema.json); profile_from_json() reads it back.
// - csv: one row per operator plus the outside-operators and total rows (RFC 4180).
// - chrome-trace: Chrome trace event JSON (Perfetto, chrome://tracing): operators as slices,
//   SRAM as a counter.
// - folded: folded stacks ("frame;frame;frame cycles"), for flamegraph.pl / inferno / speedscope.
// - markdown: a summary for CI (GitHub job summaries, merge request comments).
// - junit: JUnit XML: the run, SRAM and flash fit as test cases, one case per operator.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "profiler/profile.h"
#include "sim/status.h"

namespace tinysim::profiler {

enum class Format { kTable, kJson, kCsv, kChromeTrace, kFolded, kMarkdown, kJunit };

// "table", "json", "csv", "chrome-trace", "folded", "markdown", "junit".
const char* format_name(Format format);
std::optional<Format> format_by_name(std::string_view name);
// All names, comma-separated (help texts).
std::string format_names();

struct RenderOptions {
  size_t top_functions = 15;        // table/markdown: functions shown
  size_t top_lines = 10;            // table: source lines shown
  size_t disassembled_lines = 3;    // table: the hottest lines shown with their instructions
  bool operators_by_index = false;  // table/markdown: network order instead of hottest first
};

// Renders `profile` in `format`. Text formats end with a newline.
std::string render(const Profile& profile, Format format, const RenderOptions& options = {});

std::string render_table(const Profile& profile, const RenderOptions& options = {});
nlohmann::json profile_to_json(const Profile& profile);
std::string render_csv(const Profile& profile);
nlohmann::json chrome_trace_json(const Profile& profile);
std::string render_folded(const Profile& profile);
std::string render_markdown(const Profile& profile, const RenderOptions& options = {});
std::string render_junit(const Profile& profile);

// Reads a document written by profile_to_json(). kInvalidArgument naming the first field that is
// missing or of the wrong type, or an unknown schema version.
StatusOr<Profile> profile_from_json(const nlohmann::json& document);

// Metrics as a JSON object {key: value} (integral metrics as integers), and back.
nlohmann::json metrics_to_json(const Metrics& metrics);
Metrics metrics_from_json(const nlohmann::json& object);

}  // namespace tinysim::profiler
