// JUnit XML: the run, the SRAM fit and the flash fit as test cases that fail when they should
// stop a CI pipeline, and one passing case per operator carrying its numbers (the gate command
// adds failing cases for regressions).
#include <fmt/format.h>

#include "profiler/report.h"
#include "profiler/report_format.h"

namespace tinysim::profiler {
namespace {

using detail::xml_escape;

struct Case {
  std::string classname, name;
  double seconds = 0;
  std::string failure;  // empty: passed
  std::string output;
};

std::string metrics_text(const Metrics& m) {
  std::string out;
  for (const MetricInfo& info : all_metrics()) {
    if (m.has(info.metric)) out += fmt::format("{}={}\n", info.key, m.get(info.metric));
  }
  return out;
}

}  // namespace

std::string render_junit(const Profile& p) {
  const double seconds_per_cycle = p.board.clock_hz ? 1.0 / double(p.board.clock_hz) : 0;
  std::vector<Case> cases;
  Case run{"tinysim.run", "run completes", p.total.get(Metric::kCycles) * seconds_per_cycle, "",
           metrics_text(p.total)};
  if (p.run.partial) {
    run.failure =
        fmt::format("the run stopped early ({}) at {}", p.run.stop_reason, p.run.stop_location);
  } else if (p.run.exit_code && *p.run.exit_code != 0) {
    run.failure = fmt::format("the firmware exited with status {}", *p.run.exit_code);
  }
  cases.push_back(run);
  const MemoryReport& m = p.memory;
  Case sram{
      "tinysim.memory", fmt::format("SRAM fits {}", p.board.name), 0, "",
      detail::fit_text(m.sram_peak_bytes, m.board_sram_bytes, m.sram_fits, m.sram_margin_bytes)};
  if (!m.sram_fits) sram.failure = sram.output;
  cases.push_back(sram);
  Case flash{
      "tinysim.memory", fmt::format("flash fits {}", p.board.name), 0, "",
      detail::fit_text(m.flash_bytes, m.board_flash_bytes, m.flash_fits, m.flash_margin_bytes)};
  if (!m.flash_fits) flash.failure = flash.output;
  cases.push_back(flash);
  for (const OperatorProfile& op : p.operators) {
    Case c{"tinysim.operators", fmt::format("{} ({})", op.name, op.kind),
           op.metrics.get(Metric::kCycles) * seconds_per_cycle, "", metrics_text(op.metrics)};
    if (!op.complete) c.failure = "the operator was still running when the run stopped";
    cases.push_back(c);
  }

  size_t failures = 0;
  for (const Case& c : cases) failures += !c.failure.empty();
  const std::string suite =
      fmt::format("{} on {}", detail::base_name(p.firmware.path), p.board.name);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"tinysim profile\" tests=\"{}\" failures=\"{}\">\n",
                     cases.size(), failures);
  out += fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "time=\"{:.9f}\">\n",
      xml_escape(suite), cases.size(), failures, p.total.get(Metric::kCycles) * seconds_per_cycle);
  out += "    <properties>\n";
  out += fmt::format("      <property name=\"firmware\" value=\"{}\"/>\n",
                     xml_escape(p.firmware.path));
  out += fmt::format("      <property name=\"fnv1a64\" value=\"{}\"/>\n",
                     xml_escape(p.firmware.fnv1a64));
  out += fmt::format("      <property name=\"board\" value=\"{}\"/>\n", xml_escape(p.board.name));
  out += fmt::format("      <property name=\"clock_hz\" value=\"{}\"/>\n", p.board.clock_hz);
  out += "    </properties>\n";
  for (const Case& c : cases) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.9f}\">\n",
                       xml_escape(c.classname), xml_escape(c.name), c.seconds);
    if (!c.failure.empty()) {
      out += fmt::format("      <failure message=\"{}\">{}</failure>\n", xml_escape(c.failure),
                         xml_escape(c.failure));
    }
    if (!c.output.empty())
      out += fmt::format("      <system-out>{}</system-out>\n", xml_escape(c.output));
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace tinysim::profiler
