// Compare: one or more firmware builds profiled on a list of boards, in parallel, one row per
// board: latency, energy, SRAM and flash against the board (fits? by how much?), price
// (`tinysim compare`, `tinysim fit` and the GUI's Compare view).
//
// Firmware selection, per board, among the given ELF files (docs/cli.md, "compare"):
//   1. a file whose name ends with "-<board.firmware_variant>.elf" (the bundled builds:
//      build/firmware/<name>-<variant>.elf, e.g. "-cortex-m0plus-rp2040" for the rpi-pico);
//   2. else a file whose EABI build attributes (sim/build_attributes.h) match the board's core
//      exactly: the architecture (ARMv6-M for M0/M0+, ARMv7-M for M3, ARMv7E-M for M4/M7,
//      ARMv8-M Mainline for M33) and the FPU generation (none, FPv4 = Tag_FP_arch VFPv4,
//      FPv5 = Tag_FP_arch ARMv8 FP);
//   3. else any file the core can execute (sim::check_compatible), the newest architecture first.
// Within a rule, the first file in the given order wins. A file is only a candidate when its
// segments have a place in the board's memory map: inside a region, or past the start of one in
// the same 256 MiB area (linked for this map but too big: a kDoesNotFit row). A board with no
// candidate is a skipped row whose `reason` says why each file was refused.
//
// Parallelism and determinism: boards run on up to `threads` threads (default: all cores); each
// run is a separate machine, so every number in a row is the same whatever the thread count or
// order (only RunSummary::host_seconds varies). Rows come back in the order of the boards given.
//
// Cancellation: when *cancel becomes true, running sessions stop (their rows are partial,
// status kCancelled) and boards not started yet are rows with status kCancelled and no profile.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profiler/profile.h"
#include "profiler/session.h"
#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/status.h"

namespace tinysim::profiler {

// A firmware file given to compare, loaded once.
struct FirmwareCandidate {
  std::string path;
  sim::Image image;
};

// Loads every path (kInvalidFirmware naming the first file that is not a valid ELF).
StatusOr<std::vector<FirmwareCandidate>> load_candidates(const std::vector<std::string>& paths);

// The firmware chosen for one board, and why.
struct FirmwareSelection {
  int candidate = -1;  // index into the candidates; -1: none fits the board
  // Chosen: "firmware_variant cortex-m4f", "build attributes ARMv7E-M + FPv4",
  // "compatible ARMv6-M build (no exact match)". None: why each file was refused.
  std::string reason;
};

// Applies the selection rules above.
FirmwareSelection select_firmware(const std::vector<FirmwareCandidate>& candidates,
                                  const sim::Board& board);

enum class RowStatus {
  kOk,          // the run ended through the firmware's exit (any exit status)
  kSkipped,     // no firmware for this board (FirmwareSelection::reason)
  kDoesNotFit,  // the firmware's sections do not fit the board's flash or SRAM (not run;
                // memory columns from the ELF's sections: what the linker reserved)
  kFailed,      // the session failed (error) or the run did not finish (fault, budget)
  kCancelled,   // cancelled before or while running
};
// "ok", "skipped", "does-not-fit", "failed", "cancelled".
const char* row_status_name(RowStatus status);

struct CompareRow {
  // The board (at the operating point it was given with).
  std::string board;  // "nrf52840-dk"
  std::string core;   // "Cortex-M4 with FPv4-SP"
  uint64_t clock_hz = 0;
  std::string firmware;   // the chosen ELF's path; "" when skipped
  std::string selection;  // FirmwareSelection::reason
  RowStatus status = RowStatus::kSkipped;
  std::string error;               // kSkipped / kFailed / kCancelled: what happened
  std::optional<Profile> profile;  // present when a run happened (also failed or partial runs)

  // Latency of one inference: the operators' cycles at the board clock when the profile has
  // operators, else the whole run's (latency_scope says which).
  std::optional<double> latency_ms;
  std::string latency_scope;  // "operators" or "run"
  // Energy in the same scope (Profile::energy, the power model), absent when the board has no
  // power figures; energy_model is the model label every energy figure carries.
  std::optional<double> energy_uj;
  std::string energy_model;
  bool energy_estimate = false;  // the board's figures are a datasheet estimate, not calibrated

  // Memory against the board (Profile::memory): peak SRAM used and flash image size.
  uint64_t sram_peak_bytes = 0;
  uint64_t board_sram_bytes = 0;
  bool sram_fits = false;
  int64_t sram_margin_bytes = 0;   // board - peak (negative: short by)
  double sram_margin_percent = 0;  // sram_margin_bytes / board_sram_bytes * 100
  uint64_t flash_bytes = 0;
  uint64_t board_flash_bytes = 0;
  bool flash_fits = false;
  int64_t flash_margin_bytes = 0;
  double flash_margin_percent = 0;

  // Catalog prices (price.board, price.chip), US dollars at their quantity; absent when the
  // catalog has none.
  std::optional<double> board_price_usd;
  std::optional<double> chip_price_usd;
};

// Columns rows can be sorted by.
enum class CompareColumn {
  kBoard,
  kFirmware,
  kLatency,
  kEnergy,
  kSram,
  kFlash,
  kPrice,
  kChipPrice
};
// "board", "firmware", "latency", "energy", "sram", "flash", "price" (board price), "chip-price".
std::optional<CompareColumn> compare_column_by_name(std::string_view name);
const char* compare_column_name(CompareColumn column);
// Sorts ascending (descending when asked) by `column`: rows without the value (skipped, no
// energy figure, no price) last in either direction; ties by board name. Stable, deterministic.
void sort_rows(std::vector<CompareRow>& rows, CompareColumn column, bool descending = false);

struct CompareOptions {
  // Per-run options (recorder, budgets, firmware command line). console and warnings are
  // ignored: compare discards the firmware consoles (warnings go to each profile).
  SessionOptions session;
  // Threads running boards at once; 0: std::thread::hardware_concurrency().
  unsigned threads = 0;
};

// Progress of one board: `row` indexes the boards given. Called from worker threads (one call at
// a time per row; rows concurrently): make it thread-safe. The last call for each board that
// had a firmware has progress.finished set (skipped boards get no call).
using CompareProgressCallback =
    std::function<void(size_t row, const std::string& board, const SessionProgress& progress)>;

struct CompareResult {
  std::vector<CompareRow> rows;  // in the order of `boards`
  bool cancelled = false;
};

// Profiles the selected firmware on every board. REQUIRES: boards valid; `cancel` may be null.
// Blocks until every board is done or cancelled.
CompareResult compare_boards(const std::vector<FirmwareCandidate>& candidates,
                             const std::vector<sim::Board>& boards, const CompareOptions& options,
                             const CompareProgressCallback& progress = {},
                             const std::atomic<bool>* cancel = nullptr);

// Fills a row's latency, energy, memory and price from a finished profile and its board (used
// by compare_boards; public for tests and for rows built from stored profiles).
void fill_row_from_profile(CompareRow& row, const sim::Board& board, Profile profile);

}  // namespace tinysim::profiler
