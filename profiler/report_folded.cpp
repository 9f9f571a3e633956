// Folded stacks, one calling context per line: "op;main;ts_conv2d_s8 123456" (cycles spent in
// the last frame itself). Input for flamegraph.pl, inferno-flamegraph and speedscope.
#include <fmt/format.h>

#include "profiler/report.h"

namespace tinysim::profiler {

std::string render_folded(const Profile& p) {
  std::string out;
  for (const StackEntry& s : p.stacks) {
    std::string line;
    for (const std::string& frame : s.frames) {
      if (!line.empty()) line += ';';
      for (char c : frame) line += (c == ';' || c == '\n') ? ':' : c;
    }
    if (line.empty()) line = "[root]";
    out += fmt::format("{} {}\n", line, s.cycles);
  }
  return out;
}

}  // namespace tinysim::profiler
