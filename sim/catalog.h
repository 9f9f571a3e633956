// Catalog: the board descriptions in TOML files, loaded, composed and validated into sim::Board.
//
// A catalog directory holds chips/<chip>.toml (one per microcontroller) and boards/<board>.toml
// (one per development board). A board names its chip (`board.chip`) and overlays it: tables
// merge key by key, any other value (numbers, strings, arrays) in the board replaces the chip's.
// Board names are the board files' stems. Every value carries a source. The format, with every
// key, type, unit and default, is in docs/catalog.md.
//
// Errors (kInvalidBoard) name the file and the dotted key:
//   "catalog/boards/x.toml: memory.sram.size: expected a byte size, got a boolean"
// Broken TOML, unknown keys, missing required keys, wrong types, overlapping regions, a clock
// above the chip's maximum and a wait-state table that does not reach the clock are all errors.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "memory_models/config.h"
#include "sim/board.h"
#include "sim/status.h"

namespace tinysim::sim {

struct Catalog {
  std::filesystem::path directory;
  std::vector<Board> boards;  // sorted by name

  // REQUIRES: nothing. The board `name`, or kInvalidBoard listing the known names.
  StatusOr<Board> find(const std::string& name) const;
};

// Loads every board of `directory` (boards/*.toml composed with chips/*.toml). Fails on the
// first file that does not load or validate.
StatusOr<Catalog> load_catalog(const std::filesystem::path& directory);

// Loads one board file (composed with its chip from `chips_directory`). For tests and tools.
StatusOr<Board> load_board_file(const std::filesystem::path& board_file,
                                const std::filesystem::path& chips_directory);

// The catalog directory used when none is given: the one set with
// set_default_catalog_directory() (`--catalog DIR`), else $TINYSIM_CATALOG if set and non-empty,
// else the source tree's catalog/ (compile definition TINYSIM_CATALOG_DIR).
std::filesystem::path default_catalog_directory();
// Overrides the default catalog directory (the `--catalog DIR` option). Call before the first
// find_board()/builtin_boards(); later calls reload on the next use.
void set_default_catalog_directory(const std::filesystem::path& directory);
// The default catalog, loaded once (thread-safe), or its load error.
const StatusOr<Catalog>& default_catalog();

// The memory-model configuration of `board` at its operating point (memory_models/config.h):
// regions, flash wait-state tables (named by voltage range, or "<min>-<max>V" for VDD tables),
// the flash accelerator and its reset / start-up enables, the flash-interface register family,
// the Cortex-M7 L1 caches and the XIP interface. Mapping rules: docs/catalog.md.
memory_models::MemorySystemConfig memory_system_config(const Board& board);

// Unit parsing shared by the catalog and the command line. Conventional units, case-insensitive,
// optional space: "48MHz", "48 MHz", "32.768 kHz", "48000000" (Hz), "1.2GHz".
StatusOr<uint64_t> parse_frequency(std::string_view text);
// Byte sizes with binary multiples, as MCU datasheets use them: "128K", "128 KiB", "128KB",
// "2M", "2 MiB", "4096".
StatusOr<uint64_t> parse_byte_size(std::string_view text);

}  // namespace tinysim::sim
