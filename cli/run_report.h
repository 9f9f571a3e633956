// The end-of-run report of `tinysim run`: human-readable text and the documented JSON
// (docs/run-json.md), and the mapping of library errors to exit codes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/run_result.h"
#include "sim/status.h"

namespace tinysim::cli {

// Version of the JSON document below; bump on incompatible changes.
inline constexpr const char* kRunJsonSchema = "tinysim.run/1";

std::string format_run_report(const sim::Board& board, const sim::RunResult& result);
nlohmann::json run_report_json(const sim::Image& image, const sim::Board& board,
                               const sim::RunResult& result);
int exit_code_for_status(const Status& status);
// The process exit code for a run that ended with `reason`: the firmware's own status for a
// semihosting exit, else tinysim's code for that ending (cli/exit_codes.h).
int exit_code_for_stop(sim::StopReason reason, int firmware_status);

}  // namespace tinysim::cli
