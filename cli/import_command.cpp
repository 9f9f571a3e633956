// `tinysim import MODEL.tflite`: generate C firmware source for an int8 TFLite model, and with
// --build / --board also cross-build it into DIR/<name>-<variant>.elf (firmware_builder.h).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/simulation_options.h"
#include "sim/number_format.h"
#include "workloads/importer/firmware_builder.h"
#include "workloads/importer/import_error.h"
#include "workloads/importer/importer.h"

namespace tinysim::cli {
namespace {

struct ImportCommandOptions {
  importer::ImportOptions import;
  bool no_markers = false;
  bool quiet = false;
  std::vector<std::string> build_variants;  // --build v1,v2
  std::string board;                        // --board B: its firmware_variant
  std::string catalog;                      // --catalog DIR (for --board)
};

std::string shape_text(const std::vector<int32_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "," : "") + std::to_string(shape[i]);
  return out + "]";
}

// --build / --board: import and cross-build; progress on stderr unless --quiet.
int run_import_and_build(ImportCommandOptions& options) {
  importer::FirmwareBuildOptions build;
  build.import = options.import;
  build.variants = options.build_variants;
  if (!options.board.empty()) {
    SimulationArgs args;
    args.board = options.board;
    args.catalog = options.catalog;
    auto board = select_board(args);
    if (!board.is_ok()) {
      std::fprintf(stderr, "tinysim import: %s\n", board.status().message().c_str());
      return exit_code::kBadBoard;
    }
    const std::string& variant = board.value().firmware_variant;
    if (std::find(build.variants.begin(), build.variants.end(), variant) == build.variants.end()) {
      build.variants.push_back(variant);
    }
  }
  const bool quiet = options.quiet;
  try {
    importer::FirmwareBuildResult result =
        importer::build_model_firmware(build, [quiet](const std::string& line) {
          if (!quiet) std::fprintf(stderr, "tinysim import: %s\n", line.c_str());
        });
    if (!quiet) {
      for (const std::string& elf : result.elf_paths) std::printf("%s\n", elf.c_str());
    }
  } catch (const importer::OutputError& e) {
    std::fprintf(stderr, "tinysim import: %s\n", e.what());
    return exit_code::kOutput;
  } catch (const importer::ImportError& e) {
    std::fprintf(stderr, "tinysim import: %s\n", e.what());
    return exit_code::kImportError;
  } catch (const importer::BuildError& e) {
    std::fprintf(stderr, "tinysim import: %s\n", e.what());
    return exit_code::kBuildError;
  }
  return exit_code::kOk;
}

int run_import(ImportCommandOptions& options) {
  options.import.markers = !options.no_markers;
  if (!options.build_variants.empty() || !options.board.empty()) {
    return run_import_and_build(options);
  }
  importer::ImportSummary summary;
  try {
    summary = importer::import_model(options.import);
  } catch (const importer::OutputError& e) {
    std::fprintf(stderr, "tinysim import: %s\n", e.what());
    return exit_code::kOutput;
  } catch (const importer::ImportError& e) {
    std::fprintf(stderr, "tinysim import: %s\n", e.what());
    return exit_code::kImportError;
  }
  if (options.quiet) return exit_code::kOk;

  std::string text =
      fmt::format("{}: {} operators\n", options.import.model_path, summary.operators.size());
  text += fmt::format("  {:>3}  {:<18} {:<20} {:>13}\n", "#", "operator", "output", "MACs");
  for (const importer::ImportedOperator& op : summary.operators) {
    text += fmt::format("  {:>3}  {:<18} {:<20} {:>13}\n", op.index, op.kind,
                        shape_text(op.output_shape), sim::with_commas(op.macs));
  }
  text += fmt::format("  total {} MACs\n", sim::with_commas(summary.total_macs));
  text += fmt::format("  weights and constants (flash): {} bytes\n",
                      sim::with_commas(summary.weight_bytes));
  text += fmt::format("  tensor arena (RAM):            {} bytes ({} if no buffer were shared)\n",
                      sim::with_commas(static_cast<int64_t>(summary.arena_bytes)),
                      sim::with_commas(static_cast<int64_t>(summary.unshared_bytes)));
  text +=
      fmt::format("  input {} bytes, output {} bytes\n", summary.input_bytes, summary.output_bytes);
  auto status = [](bool written) { return written ? "written" : "unchanged"; };
  text +=
      fmt::format("wrote {} ({}), {} ({})\n", summary.source_path, status(summary.source_written),
                  summary.header_path, status(summary.header_written));
  std::fputs(text.c_str(), stdout);
  return exit_code::kOk;
}

}  // namespace

void add_import_command(CLI::App& app, CommandRegistry& registry) {
  auto options = std::make_shared<ImportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Generate C firmware source from an int8 TFLite model: <name>.c (weights in flash, a "
      "static tensor arena, kernel calls with operator markers) and <name>.h "
      "(<name>_invoke()). Supports CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, "
      "AVERAGE_POOL_2D, MAX_POOL_2D, ADD, SOFTMAX and RESHAPE with fused NONE/RELU/RELU6. "
      "See docs/importer.md.");
  cmd->add_option("model", options->import.model_path, "The .tflite file (int8 quantised)")
      ->required();
  cmd->add_option("-o,--output-dir", options->import.output_dir,
                  "Directory for the generated files (created if missing)")
      ->capture_default_str();
  cmd->add_option("--name", options->import.name,
                  "C symbol prefix and file name (default: the model's file name as a C "
                  "identifier, e.g. kws_ref_model)");
  cmd->add_flag("--no-markers", options->no_markers,
                "Leave out the operator markers and the operator table (tinysim/markers.h)");
  cmd->add_flag("-q,--quiet", options->quiet, "Print nothing but errors");
  cmd->add_option("--build", options->build_variants,
                  "Also cross-build the model into OUTPUT_DIR/<name>-<variant>.elf for these "
                  "firmware variants (cortex-m0, cortex-m0plus, cortex-m3, cortex-m4f, "
                  "cortex-m7f, cortex-m33f, cortex-m0plus-rp2040, cortex-m33f-stm32); needs "
                  "cmake, ninja and arm-none-eabi-gcc")
      ->delimiter(',');
  cmd->add_option("--board", options->board,
                  "Also cross-build for the firmware variant this catalog board boots "
                  "(board.firmware_variant)");
  cmd->add_option("--catalog", options->catalog, "Board catalog directory (for --board)");
  registry.add(cmd, [options] { return run_import(*options); });
}

}  // namespace tinysim::cli
