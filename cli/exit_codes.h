// Every exit code of the `tinysim` command, in one place (documented in docs/cli.md).
//
// A firmware that ends through semihosting SYS_EXIT / SYS_EXIT_EXTENDED passes its own status
// through unchanged (0..255, like any program); the codes below are tinysim's own endings and
// errors. To tell a firmware status from these unambiguously, use `--json` (stop.reason).
#pragma once

namespace tinysim::cli::exit_code {

inline constexpr int kOk = 0;
inline constexpr int kUsage = 2;           // bad command line
inline constexpr int kInternal = 110;      // a bug in tinysim
inline constexpr int kBadFirmware = 111;   // firmware file missing, unreadable or not a valid ELF
inline constexpr int kIncompatible = 112;  // firmware needs an architecture the board's core lacks
inline constexpr int kBadBoard = 113;      // unknown board, or a broken board description
inline constexpr int kFault = 114;         // the firmware faulted (report printed)
inline constexpr int kBreakpoint = 115;    // BKPT other than semihosting
inline constexpr int kInstructionBudget = 116;  // --max-instructions reached
inline constexpr int kCycleBudget = 117;        // --max-cycles reached
inline constexpr int kTimeout = 118;            // --timeout (wall clock) reached
inline constexpr int kResetRequest = 119;       // firmware requested a system reset (AIRCR)
inline constexpr int kSleepForever = 120;       // WFI with no enabled interrupt that could wake it
inline constexpr int kOutput = 121;             // an output file could not be written
inline constexpr int kImportError = 122;        // import: model malformed or unsupported
inline constexpr int kStoreError = 123;         // run store damaged, locked, or too new
inline constexpr int kInterrupted = 124;        // Ctrl-C: stopped early, partial results kept
inline constexpr int kDoesNotFit = 125;  // firmware needs more SRAM or flash than the board has
// import --build: the cross build failed or its tools are missing (127 is the shell's).
inline constexpr int kBuildError = 109;

// gate: a limit was exceeded (or not measurable); fit: no board meets the budget.
inline constexpr int kGateFailed = 1;
inline constexpr int kNoBoardFits = 1;
inline constexpr int kSomeRunsFailed = 126;  // compare: a board's run faulted or hit a budget

}  // namespace tinysim::cli::exit_code
