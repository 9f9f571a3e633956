// Compare: firmware selection per board, the worker pool that runs the boards, and the row
// arithmetic (see compare.h).
#include "profiler/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <utility>

#include "sim/core.h"
#include "sim/run_result.h"

namespace tinysim::profiler {
namespace {

// Tag_CPU_arch of the architecture a core implements (IHI 0045 2.5.2); ARMv6-M accepts
// v6-M (11) and v6S-M (12), which GCC writes for -mcpu=cortex-m0/m0plus.
bool arch_matches(sim::CoreKind core, const sim::BuildAttributes& a) {
  if (!a.cpu_arch) return false;
  const uint32_t arch = *a.cpu_arch;
  switch (core) {
    case sim::CoreKind::kCortexM0:
    case sim::CoreKind::kCortexM0Plus:
      return arch == 11 || arch == 12;
    case sim::CoreKind::kCortexM3:
      return arch == 10 && a.cpu_arch_profile.value_or('M') == 'M';
    case sim::CoreKind::kCortexM4:
    case sim::CoreKind::kCortexM7:
      return arch == 13;
    case sim::CoreKind::kCortexM33:
      return arch == 17;
  }
  return false;
}

// The FPU generation of Tag_FP_arch (IHI 0045 2.5.4): 0 none, 5/6 VFPv4 (the FPv4-SP of the
// Cortex-M4), 7/8 ARMv8 FP (the FPv5 of the Cortex-M7 and M33).
enum class FpGen { kNone, kV4, kV5, kOther };
FpGen fp_gen_of(const sim::BuildAttributes& a) {
  switch (a.fp_arch.value_or(0)) {
    case 0:
      return FpGen::kNone;
    case 5:
    case 6:
      return FpGen::kV4;
    case 7:
    case 8:
      return FpGen::kV5;
    default:
      return FpGen::kOther;
  }
}
FpGen fp_gen_of(sim::FpuKind fpu) {
  switch (fpu) {
    case sim::FpuKind::kNone:
      return FpGen::kNone;
    case sim::FpuKind::kFpv4Sp:
      return FpGen::kV4;
    case sim::FpuKind::kFpv5Sp:
    case sim::FpuKind::kFpv5Dp:
      return FpGen::kV5;
  }
  return FpGen::kOther;
}
const char* fp_gen_name(FpGen g) {
  switch (g) {
    case FpGen::kNone:
      return "no FPU";
    case FpGen::kV4:
      return "FPv4";
    case FpGen::kV5:
      return "FPv5";
    case FpGen::kOther:
      return "other FPU";
  }
  return "?";
}

std::string file_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The file's name ends with "-<variant>.elf" (or "-<variant>" without an extension).
bool names_variant(const std::string& path, const std::string& variant) {
  if (variant.empty()) return false;
  std::string stem = file_name(path);
  if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".elf") == 0) {
    stem.resize(stem.size() - 4);
  }
  const std::string suffix = "-" + variant;
  return stem.size() > suffix.size() &&
         stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The board's map has a place for `address`: a region contains it, or it lies past the start
// of a region in the same 256 MiB area of the Cortex-M address map (code, SRAM, ...), so the
// build was linked for this map and is merely too big for the region (the machine's fit check
// then says by how much).
bool in_map(const sim::Board& board, uint32_t address) {
  if (board.region_at(address)) return true;
  for (const sim::MemoryRegion& r : board.memory) {
    if ((r.base >> 28) == (address >> 28) && address >= r.base) return true;
  }
  return false;
}

// Every segment has a place in the board's memory map (its run and load addresses).
std::optional<std::string> map_mismatch(const sim::Image& image, const sim::Board& board) {
  for (const sim::Segment& s : image.segments()) {
    if (s.memory_size > 0 && !in_map(board, s.run_address)) {
      return fmt::format("a segment runs at 0x{:08x}, outside the board's memory map",
                         s.run_address);
    }
    if (!s.bytes.empty() && !in_map(board, s.load_address)) {
      return fmt::format("a segment loads at 0x{:08x}, outside the board's memory map",
                         s.load_address);
    }
  }
  return std::nullopt;
}

std::optional<double> column_value(const CompareRow& r, CompareColumn c) {
  const bool measured = r.status == RowStatus::kOk || r.status == RowStatus::kFailed ||
                        r.status == RowStatus::kDoesNotFit;
  switch (c) {
    case CompareColumn::kLatency:
      return r.latency_ms;
    case CompareColumn::kEnergy:
      return r.energy_uj;
    case CompareColumn::kSram:
      return measured ? std::optional<double>(double(r.sram_peak_bytes)) : std::nullopt;
    case CompareColumn::kFlash:
      return measured ? std::optional<double>(double(r.flash_bytes)) : std::nullopt;
    case CompareColumn::kPrice:
      return r.board_price_usd;
    case CompareColumn::kChipPrice:
      return r.chip_price_usd;
    default:
      return std::nullopt;
  }
}

}  // namespace

StatusOr<std::vector<FirmwareCandidate>> load_candidates(const std::vector<std::string>& paths) {
  std::vector<FirmwareCandidate> out;
  out.reserve(paths.size());
  for (const std::string& p : paths) {
    auto image = sim::Image::load(p);
    if (!image.is_ok()) return image.status();
    out.push_back(FirmwareCandidate{p, std::move(image.value())});
  }
  return out;
}

FirmwareSelection select_firmware(const std::vector<FirmwareCandidate>& candidates,
                                  const sim::Board& board) {
  FirmwareSelection best;
  int best_rank = 4;
  uint32_t best_arch = 0;
  std::vector<std::string> refusals;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const FirmwareCandidate& c = candidates[i];
    const std::string name = file_name(c.path);
    if (Status s = sim::check_compatible(c.image, board.core, board.name); !s.is_ok()) {
      const sim::BuildAttributes& a = c.image.attributes();
      refusals.push_back(fmt::format("{}: {} build, not executable by the {}", name,
                                     a.arch_name() + (a.uses_fpu() ? " + FPU" : ""),
                                     sim::describe_core(board.core)));
      continue;
    }
    if (auto why = map_mismatch(c.image, board)) {
      refusals.push_back(fmt::format("{}: {}", name, *why));
      continue;
    }
    const sim::BuildAttributes& a = c.image.attributes();
    int rank = 3;
    std::string reason;
    if (names_variant(c.path, board.firmware_variant)) {
      rank = 1;
      reason = "firmware_variant " + board.firmware_variant;
    } else if (c.image.has_attributes() && arch_matches(board.core.kind, a) &&
               fp_gen_of(a) == fp_gen_of(board.core.fpu)) {
      rank = 2;
      reason = fmt::format("build attributes {} + {}", a.arch_name(), fp_gen_name(fp_gen_of(a)));
    } else {
      reason = fmt::format("compatible {} build (no exact match for the {})",
                           c.image.has_attributes() ? a.arch_name() : "unattributed",
                           sim::describe_core(board.core));
    }
    const uint32_t arch = a.cpu_arch.value_or(0);
    // Within rule 3 the newest architecture wins; otherwise the first file.
    if (rank < best_rank || (rank == 3 && best_rank == 3 && arch > best_arch)) {
      best_rank = rank;
      best_arch = arch;
      best.candidate = static_cast<int>(i);
      best.reason = reason;
    }
  }
  if (best.candidate < 0) {
    best.reason = candidates.empty() ? "no firmware given" : "no firmware for this board: ";
    for (size_t i = 0; i < refusals.size(); ++i) {
      best.reason += (i ? "; " : "") + refusals[i];
    }
  }
  return best;
}

const char* row_status_name(RowStatus status) {
  switch (status) {
    case RowStatus::kOk:
      return "ok";
    case RowStatus::kSkipped:
      return "skipped";
    case RowStatus::kDoesNotFit:
      return "does-not-fit";
    case RowStatus::kFailed:
      return "failed";
    case RowStatus::kCancelled:
      return "cancelled";
  }
  return "?";
}

std::optional<CompareColumn> compare_column_by_name(std::string_view name) {
  for (CompareColumn c : {CompareColumn::kBoard, CompareColumn::kFirmware, CompareColumn::kLatency,
                          CompareColumn::kEnergy, CompareColumn::kSram, CompareColumn::kFlash,
                          CompareColumn::kPrice, CompareColumn::kChipPrice}) {
    if (name == compare_column_name(c)) return c;
  }
  return std::nullopt;
}

const char* compare_column_name(CompareColumn column) {
  switch (column) {
    case CompareColumn::kBoard:
      return "board";
    case CompareColumn::kFirmware:
      return "firmware";
    case CompareColumn::kLatency:
      return "latency";
    case CompareColumn::kEnergy:
      return "energy";
    case CompareColumn::kSram:
      return "sram";
    case CompareColumn::kFlash:
      return "flash";
    case CompareColumn::kPrice:
      return "price";
    case CompareColumn::kChipPrice:
      return "chip-price";
  }
  return "?";
}

void sort_rows(std::vector<CompareRow>& rows, CompareColumn column, bool descending) {
  std::stable_sort(rows.begin(), rows.end(), [&](const CompareRow& x, const CompareRow& y) {
    if (column == CompareColumn::kBoard || column == CompareColumn::kFirmware) {
      const std::string& a = column == CompareColumn::kBoard ? x.board : x.firmware;
      const std::string& b = column == CompareColumn::kBoard ? y.board : y.firmware;
      if (a.empty() != b.empty()) return b.empty();  // rows without a firmware last
      if (a != b) return descending ? a > b : a < b;
      return x.board < y.board;
    }
    const std::optional<double> a = column_value(x, column);
    const std::optional<double> b = column_value(y, column);
    if (a.has_value() != b.has_value()) return a.has_value();  // missing values last
    if (a && b && *a != *b) return descending ? *a > *b : *a < *b;
    return x.board < y.board;
  });
}

void fill_row_from_profile(CompareRow& row, const sim::Board& board, Profile profile) {
  row.board = board.name;
  row.core = sim::describe_core(board.core);
  row.clock_hz = board.clock_hz;
  if (board.board_price) row.board_price_usd = board.board_price->usd;
  if (board.chip_price) row.chip_price_usd = board.chip_price->usd;

  // Latency: the operators' cycles (one inference), else the whole run.
  uint64_t cycles = 0;
  for (const OperatorProfile& op : profile.operators) cycles += op.metrics.get_u64(Metric::kCycles);
  row.latency_scope = profile.operators.empty() ? "run" : "operators";
  if (profile.operators.empty()) cycles = profile.total.get_u64(Metric::kCycles);
  const uint64_t clock_hz = profile.board.clock_hz ? profile.board.clock_hz : board.clock_hz;
  if (clock_hz) row.latency_ms = 1e3 * double(cycles) / double(clock_hz);

  row.energy_uj.reset();
  if (profile.energy) {
    row.energy_uj = profile.energy->inference_energy_uj;
    row.energy_model = profile.energy->model;
    row.energy_estimate = profile.energy->estimate;
  }

  const MemoryReport& m = profile.memory;
  row.sram_peak_bytes = m.sram_peak_bytes;
  row.board_sram_bytes = m.board_sram_bytes ? m.board_sram_bytes : board.sram_bytes();
  row.sram_margin_bytes = int64_t(row.board_sram_bytes) - int64_t(row.sram_peak_bytes);
  row.sram_fits = row.sram_margin_bytes >= 0;
  row.sram_margin_percent =
      row.board_sram_bytes ? 100.0 * double(row.sram_margin_bytes) / double(row.board_sram_bytes)
                           : 0;
  row.flash_bytes = m.flash_bytes;
  row.board_flash_bytes = m.board_flash_bytes ? m.board_flash_bytes : board.flash_bytes();
  row.flash_margin_bytes = int64_t(row.board_flash_bytes) - int64_t(row.flash_bytes);
  row.flash_fits = row.flash_margin_bytes >= 0;
  row.flash_margin_percent =
      row.board_flash_bytes ? 100.0 * double(row.flash_margin_bytes) / double(row.board_flash_bytes)
                            : 0;
  row.profile = std::move(profile);
}

namespace {

// A firmware that the machine refused as too large: memory columns from its sections (RAM: the
// writable ones, as the linker reserved them; flash: the others plus .data's initial values).
void fill_row_from_sections(CompareRow& row, const sim::Board& board, const sim::Image& image) {
  row.board_sram_bytes = board.sram_bytes();
  row.board_flash_bytes = board.flash_bytes();
  uint64_t ram = 0, flash = 0;
  for (const sim::AllocatedSection& s : image.allocated_sections()) {
    if (s.writable) {
      ram += s.size_bytes;
    } else {
      flash += s.size_bytes;
    }
  }
  for (const sim::Segment& s : image.segments()) {
    if (s.writable && !s.bytes.empty() && s.load_address != s.run_address) flash += s.bytes.size();
  }
  row.sram_peak_bytes = ram;
  row.flash_bytes = flash;
  row.sram_margin_bytes = int64_t(row.board_sram_bytes) - int64_t(ram);
  row.flash_margin_bytes = int64_t(row.board_flash_bytes) - int64_t(flash);
  row.sram_fits = row.sram_margin_bytes >= 0;
  row.flash_fits = row.flash_margin_bytes >= 0;
  row.sram_margin_percent =
      row.board_sram_bytes ? 100.0 * double(row.sram_margin_bytes) / double(row.board_sram_bytes)
                           : 0;
  row.flash_margin_percent =
      row.board_flash_bytes ? 100.0 * double(row.flash_margin_bytes) / double(row.board_flash_bytes)
                            : 0;
}

void run_row(CompareRow& row, const FirmwareCandidate& candidate, const sim::Board& board,
             const SessionOptions& session, const ProgressCallback& progress,
             const std::atomic<bool>* cancel) {
  auto result = run_session(candidate.path, board, session, progress, cancel);
  if (!result.is_ok()) {
    if (result.status().code() == StatusCode::kFirmwareTooLarge) {
      row.status = RowStatus::kDoesNotFit;
      fill_row_from_sections(row, board, candidate.image);
    } else {
      row.status = RowStatus::kFailed;
    }
    row.error = result.status().message();
    return;
  }
  SessionResult& r = result.value();
  const sim::StopReason reason = r.run.reason;
  fill_row_from_profile(row, board, std::move(r.profile));
  if (reason == sim::StopReason::kExit) {
    row.status = RowStatus::kOk;
  } else if (reason == sim::StopReason::kCancelled || r.cancelled) {
    row.status = RowStatus::kCancelled;
    row.error = "stopped early: partial results, up to where the run stopped";
  } else {
    row.status = RowStatus::kFailed;
    row.error = fmt::format("the run did not finish: {} at {}", sim::stop_reason_name(reason),
                            r.run.stop_location);
  }
}

}  // namespace

CompareResult compare_boards(const std::vector<FirmwareCandidate>& candidates,
                             const std::vector<sim::Board>& boards, const CompareOptions& options,
                             const CompareProgressCallback& progress,
                             const std::atomic<bool>* cancel) {
  CompareResult out;
  out.rows.resize(boards.size());
  std::vector<int> chosen(boards.size(), -1);
  std::vector<size_t> work;
  for (size_t i = 0; i < boards.size(); ++i) {
    CompareRow& row = out.rows[i];
    const sim::Board& board = boards[i];
    row.board = board.name;
    row.core = sim::describe_core(board.core);
    row.clock_hz = board.clock_hz;
    row.board_sram_bytes = board.sram_bytes();
    row.board_flash_bytes = board.flash_bytes();
    if (board.board_price) row.board_price_usd = board.board_price->usd;
    if (board.chip_price) row.chip_price_usd = board.chip_price->usd;
    const FirmwareSelection selection = select_firmware(candidates, board);
    row.selection = selection.reason;
    if (selection.candidate < 0) {
      row.status = RowStatus::kSkipped;
      row.error = selection.reason;
      continue;
    }
    chosen[i] = selection.candidate;
    row.firmware = candidates[size_t(selection.candidate)].path;
    work.push_back(i);
  }

  SessionOptions session = options.session;
  session.console = nullptr;
  session.warnings = nullptr;
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(work.size())));

  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (;;) {
      const size_t k = next.fetch_add(1);
      if (k >= work.size()) return;
      const size_t i = work[k];
      CompareRow& row = out.rows[i];
      if (cancel && cancel->load()) {
        row.status = RowStatus::kCancelled;
        row.error = "cancelled before it ran";
        if (progress) {
          SessionProgress last;
          last.finished = true;
          progress(i, row.board, last);
        }
        continue;
      }
      ProgressCallback board_progress;
      if (progress) {
        board_progress = [&progress, i, &row](const SessionProgress& p) {
          progress(i, row.board, p);
        };
      }
      run_row(row, candidates[size_t(chosen[i])], boards[i], session, board_progress, cancel);
      if (progress) {
        SessionProgress last;
        last.finished = true;
        if (row.profile) {
          last.cycles = row.profile->total.get_u64(Metric::kCycles);
          last.simulated_ms = 1e3 * double(last.cycles) / double(boards[i].clock_hz);
          last.operators_done = row.profile->operators.size();
          last.operator_count = row.profile->operators.size();
        }
        progress(i, row.board, last);
      }
    }
  };
  if (work.size() <= 1 || threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  out.cancelled = cancel && cancel->load();
  return out;
}

}  // namespace tinysim::profiler
