// `tinysim import MODEL.tflite`: generate C firmware source for an int8 TFLite model.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "workloads/importer/import_error.h"
#include "workloads/importer/importer.h"

namespace tinysim::cli {
namespace {

struct ImportCommandOptions {
  importer::ImportOptions import;
  bool no_markers = false;
  bool quiet = false;
};

std::string shape_text(const std::vector<int32_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "," : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string grouped(uint64_t value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}

int run_import(ImportCommandOptions& options) {
  options.import.markers = !options.no_markers;
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
                        shape_text(op.output_shape), grouped(op.macs));
  }
  text += fmt::format("  total {} MACs\n", grouped(summary.total_macs));
  text += fmt::format("  weights and constants (flash): {} bytes\n", grouped(summary.weight_bytes));
  text += fmt::format("  tensor arena (RAM):            {} bytes ({} if no buffer were shared)\n",
                      grouped(static_cast<uint64_t>(summary.arena_bytes)),
                      grouped(static_cast<uint64_t>(summary.unshared_bytes)));
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
  registry.add(cmd, [options] { return run_import(*options); });
}

}  // namespace tinysim::cli
