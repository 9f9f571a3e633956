// ProfileDiff: two profiles side by side, operator by operator (`tinysim diff RUN_A RUN_B`, and
// the regression gate later). Operators match by name, else by kind and index.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "profiler/profile.h"

namespace tinysim::profiler {

struct OperatorDiff {
  std::string name;
  std::string kind;
  std::optional<Metrics> a;  // absent: the operator is only in the other profile
  std::optional<Metrics> b;
};

struct ProfileDiff {
  std::string label_a, label_b;  // e.g. "run 12", "run 14"
  Metrics total_a, total_b;
  Metrics outside_a, outside_b;
  uint64_t sram_peak_a = 0, sram_peak_b = 0;
  uint64_t flash_a = 0, flash_b = 0;
  std::vector<OperatorDiff> operators;  // in B's order, then those only in A
};

ProfileDiff diff_profiles(const Profile& a, const Profile& b, std::string label_a,
                          std::string label_b);
// Table: cycles A, B, delta and delta %, per operator, then totals, SRAM and flash.
std::string render_diff_table(const ProfileDiff& diff);
// JSON: schema "tinysim.diff/1" (docs/profile-json.md).
nlohmann::json diff_to_json(const ProfileDiff& diff);

}  // namespace tinysim::profiler
