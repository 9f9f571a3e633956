// Every report format read back by a consumer: the JSON document against its JSON Schema
// (docs/profile.schema.json) and through profile_from_json(), CSV with an RFC 4180 reader,
// Chrome trace events with the fields the Trace Event Format requires, folded stacks, Markdown
// tables, and JUnit XML with Qt's XML reader.
#include <gtest/gtest.h>
#include <QString>
#include <QXmlStreamReader>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "json_schema.h"
#include "profiler/profile_diff.h"
#include "profiler/report.h"
#include "profiler_test_util.h"

namespace tinysim::profiler {
namespace {

using nlohmann::json;
using testing::cycles;
using testing::profile_firmware;

json load_schema() {
  std::ifstream in(std::string(TINYSIM_SOURCE_DIR) + "/docs/profile.schema.json");
  return json::parse(in);
}

// Profiles covering markers, rules, memory and a partial run.
const std::vector<Profile>& sample_profiles() {
  static const std::vector<Profile> profiles = [] {
    std::vector<Profile> out;
    out.push_back(profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "4").profile);
    out.push_back(profile_firmware("prof-memory", "cortex-m0plus", "nucleo-g071rb").profile);
    out.push_back(profile_firmware("prof-rules", "cortex-m4f", "nrf52840-dk").profile);
    sim::RunOptions budget;
    budget.max_cycles = 3000;
    out.push_back(
        profile_firmware("prof-calls", "cortex-m0plus", "nucleo-g071rb", "50", {}, budget).profile);
    return out;
  }();
  return profiles;
}

TEST(JsonReport, MatchesItsSchema) {
  const json schema = load_schema();
  for (const Profile& p : sample_profiles()) {
    const json doc = json::parse(render(p, Format::kJson));
    const std::vector<std::string> errors = tinysim::testing::validate_json(schema, doc);
    EXPECT_TRUE(errors.empty()) << p.firmware.path << ": " << errors.size() << " errors, first "
                                << (errors.empty() ? "" : errors.front());
    EXPECT_EQ(doc["schema"], kProfileSchema);
  }
}

TEST(JsonReport, SchemaListsEveryMetric) {
  const json schema = load_schema();
  const json& properties = schema["$defs"]["metrics"]["properties"];
  for (const MetricInfo& info : all_metrics()) {
    EXPECT_TRUE(properties.contains(info.key)) << info.key;
  }
  EXPECT_EQ(properties.size(), size_t(kMetricCount));
}

TEST(JsonReport, TheValidatorRejectsWhatTheSchemaForbids) {
  const json schema = load_schema();
  json doc = profile_to_json(sample_profiles().front());
  doc["total"]["cycles"] = "many";
  doc["operators"][0]["metrics"]["bogus_metric"] = 1;
  doc.erase("memory");
  doc["run"]["stop_reason"] = "finished";
  const auto errors = tinysim::testing::validate_json(schema, doc);
  EXPECT_EQ(errors.size(), 4u);
}

TEST(JsonReport, ReadsBackWhatItWrites) {
  for (const Profile& p : sample_profiles()) {
    const json doc = profile_to_json(p);
    auto back = profile_from_json(json::parse(doc.dump()));
    ASSERT_TRUE(back.is_ok()) << back.status().message();
    EXPECT_EQ(profile_to_json(back.value()), doc);
  }
  json doc = profile_to_json(sample_profiles().front());
  doc["schema"] = "tinysim.profile/99";
  EXPECT_FALSE(profile_from_json(doc).is_ok());
  doc = profile_to_json(sample_profiles().front());
  doc["operators"][0].erase("name");
  auto broken = profile_from_json(doc);
  ASSERT_FALSE(broken.is_ok());
  EXPECT_NE(broken.status().message().find("$.operators[0].name"), std::string::npos);
}

// RFC 4180: fields separated by commas, CRLF between records, quotes doubled inside quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty() && !was_quoted) << "quote inside an unquoted field";
      quoted = was_quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
      was_quoted = false;
    } else if (c == '\r') {
      EXPECT_EQ(text[i + 1], '\n');
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      was_quoted = false;
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  EXPECT_FALSE(quoted);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST(CsvReport, OneRowPerOperatorPlusOutsideAndTotal) {
  for (const Profile& p : sample_profiles()) {
    const auto rows = parse_csv(render(p, Format::kCsv));
    ASSERT_EQ(rows.size(), p.operators.size() + 3);
    for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size());
    const auto& header = rows[0];
    EXPECT_EQ(header[0], "row");
    const auto cycles_column = std::find(header.begin(), header.end(), "cycles") - header.begin();
    ASSERT_LT(size_t(cycles_column), header.size());
    uint64_t sum = 0;
    for (size_t i = 1; i + 1 < rows.size(); ++i) sum += std::stoull(rows[i][size_t(cycles_column)]);
    EXPECT_EQ(rows.back()[0], "total");
    EXPECT_EQ(std::stoull(rows.back()[size_t(cycles_column)]), cycles(p.total));
    EXPECT_EQ(sum, cycles(p.total));  // operators + outside = total
    for (const std::string& key : header) {
      if (metric_by_key(key)) continue;
      EXPECT_TRUE(key == "row" || key == "index" || key == "name" || key == "kind" ||
                  key == "function" || key == "invocations" || key == "complete")
          << key;
    }
  }
  // Quoting.
  Profile p = sample_profiles().front();
  p.operators[0].name = "a,\"b\"";
  const auto rows = parse_csv(render_csv(p));
  EXPECT_EQ(rows[1][2], "a,\"b\"");
}

TEST(ChromeTrace, LoadsAsTraceEvents) {
  for (const Profile& p : sample_profiles()) {
    const json trace = json::parse(render(p, Format::kChromeTrace));
    ASSERT_TRUE(trace["traceEvents"].is_array());
    size_t slices = 0, counters = 0;
    double last_counter_ts = -1;
    for (const json& e : trace["traceEvents"]) {
      ASSERT_TRUE(e["name"].is_string());
      ASSERT_TRUE(e["ph"].is_string());
      ASSERT_TRUE(e["pid"].is_number_integer());
      const std::string ph = e["ph"];
      if (ph == "X") {
        ++slices;
        ASSERT_TRUE(e["ts"].is_number() && e["dur"].is_number() && e["tid"].is_number_integer());
        EXPECT_GE(e["dur"].get<double>(), 0);
        EXPECT_TRUE(e["args"]["cycles"].is_number_integer());
      } else if (ph == "C") {
        ++counters;
        ASSERT_TRUE(e["args"].is_object());
        for (const auto& [k, v] : e["args"].items()) EXPECT_TRUE(v.is_number()) << k;
        EXPECT_GE(e["ts"].get<double>(), last_counter_ts);
        last_counter_ts = e["ts"].get<double>();
      } else {
        EXPECT_EQ(ph, "M");
      }
    }
    EXPECT_EQ(slices, p.timeline.operators.size());
    EXPECT_GE(counters, 2u);
    EXPECT_EQ(trace["displayTimeUnit"], "ns");
  }
  // Slice times are the operators' at the board clock.
  const Profile& p = sample_profiles().front();
  const json trace = chrome_trace_json(p);
  for (const json& e : trace["traceEvents"]) {
    if (e["ph"] != "X") continue;
    const double us = double(e["args"]["cycles"].get<uint64_t>()) * 1e6 / double(p.board.clock_hz);
    EXPECT_NEAR(e["dur"].get<double>(), us, 1e-6);
  }
}

TEST(FoldedStacks, OneStackPerLineSummingToTheTotal) {
  const std::regex line("^[^;\\n]+(;[^;\\n]+)* [0-9]+$");
  for (const Profile& p : sample_profiles()) {
    std::istringstream in(render(p, Format::kFolded));
    std::string l;
    uint64_t sum = 0;
    while (std::getline(in, l)) {
      EXPECT_TRUE(std::regex_match(l, line)) << l;
      sum += std::stoull(l.substr(l.rfind(' ') + 1));
    }
    EXPECT_EQ(sum, cycles(p.total));
  }
}

TEST(MarkdownReport, TablesAreWellFormed) {
  for (const Profile& p : sample_profiles()) {
    std::istringstream in(render(p, Format::kMarkdown));
    std::string l;
    size_t columns = 0, tables = 0;
    bool in_table = false;
    while (std::getline(in, l)) {
      if (l.empty() || l[0] != '|') {
        in_table = false;
        continue;
      }
      // Count unescaped pipes.
      size_t pipes = 0;
      for (size_t i = 0; i < l.size(); ++i) pipes += l[i] == '|' && (i == 0 || l[i - 1] != '\\');
      if (!in_table) {
        in_table = true;
        columns = pipes;
        ++tables;
      }
      EXPECT_EQ(pipes, columns) << l;
    }
    EXPECT_GE(tables, 2u);
  }
}

TEST(JunitReport, WellFormedXmlWithTheRightCounts) {
  for (const Profile& p : sample_profiles()) {
    const std::string xml = render(p, Format::kJunit);
    QXmlStreamReader reader(QString::fromStdString(xml));
    int suites = 0, cases = 0, failures = 0, declared_tests = -1, declared_failures = -1;
    while (!reader.atEnd()) {
      reader.readNext();
      if (!reader.isStartElement()) continue;
      const QString name = reader.name().toString();
      if (name == "testsuite") {
        ++suites;
        declared_tests = reader.attributes().value("tests").toInt();
        declared_failures = reader.attributes().value("failures").toInt();
      } else if (name == "testcase") {
        ++cases;
        EXPECT_FALSE(reader.attributes().value("name").isEmpty());
        EXPECT_FALSE(reader.attributes().value("time").isEmpty());
      } else if (name == "failure") {
        ++failures;
      }
    }
    ASSERT_FALSE(reader.hasError()) << reader.errorString().toStdString() << "\n" << xml;
    EXPECT_EQ(suites, 1);
    EXPECT_EQ(cases, declared_tests);
    EXPECT_EQ(failures, declared_failures);
    EXPECT_EQ(size_t(cases), p.operators.size() + 3);
    EXPECT_EQ(failures > 0, p.run.partial) << p.firmware.path;
  }
  // Escaping.
  Profile p = sample_profiles().front();
  p.operators[0].name = "<op & \"x\">\x01";
  QXmlStreamReader reader(QString::fromStdString(render_junit(p)));
  while (!reader.atEnd()) reader.readNext();
  EXPECT_FALSE(reader.hasError()) << reader.errorString().toStdString();
}

TEST(TableReport, ShowsOperatorsFunctionsLinesAndMemory) {
  const Profile& p = sample_profiles().front();
  const std::string t = render(p, Format::kTable);
  for (const char* s : {"leaf_loop", "call_tree", "(outside operators)", "total", "Functions",
                        "Hottest source lines", "SRAM", "Flash", "fits"}) {
    EXPECT_NE(t.find(s), std::string::npos) << s << "\n" << t;
  }
  // Hottest first by default, network order on request.
  RenderOptions by_index;
  by_index.operators_by_index = true;
  const std::string ordered = render_table(p, by_index);
  EXPECT_LT(ordered.find("leaf_loop"), ordered.find("call_tree"));
  EXPECT_GT(t.find("leaf_loop"), t.find("call_tree"));
  // A partial run says so.
  EXPECT_NE(render(sample_profiles()[3], Format::kTable).find("PARTIAL"), std::string::npos);
}

TEST(Formats, NamesRoundTrip) {
  for (Format f : {Format::kTable, Format::kJson, Format::kCsv, Format::kChromeTrace,
                   Format::kFolded, Format::kMarkdown, Format::kJunit}) {
    EXPECT_EQ(format_by_name(format_name(f)), f);
  }
  EXPECT_FALSE(format_by_name("xml"));
}

TEST(Diff, PerOperatorDeltas) {
  const Profile a = profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "4").profile;
  const Profile b = profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "8").profile;
  const ProfileDiff d = diff_profiles(a, b, "A", "B");
  ASSERT_EQ(d.operators.size(), 2u);
  for (const OperatorDiff& o : d.operators) {
    ASSERT_TRUE(o.a && o.b);
    EXPECT_GT(cycles(*o.b), cycles(*o.a)) << o.name;  // twice the iterations
  }
  const std::string table = render_diff_table(d);
  EXPECT_NE(table.find("leaf_loop"), std::string::npos);
  EXPECT_NE(table.find("%"), std::string::npos);
  const json j = diff_to_json(d);
  EXPECT_EQ(j["schema"], "tinysim.diff/1");
  // Operators only on one side.
  const Profile rules = profile_firmware("prof-rules", "cortex-m4f", "nrf52840-dk").profile;
  const ProfileDiff other = diff_profiles(a, rules, "A", "R");
  EXPECT_EQ(other.operators.size(), 6u);
  EXPECT_NE(render_diff_table(other).find("removed"), std::string::npos);
}

}  // namespace
}  // namespace tinysim::profiler
