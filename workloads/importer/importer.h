// Importer: the whole `tinysim import` pipeline as one call, for the CLI and the build.
//
//   .tflite --read_tflite--> Graph --lower--> LoweredGraph --plan_memory--> MemoryPlan
//           --emit_c--> <name>.c + <name>.h in the output directory
//
// Files are only rewritten when their content changes, so re-running the import (as the build
// does whenever the importer is rebuilt) does not trigger recompilation of the firmware.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/importer/c_emitter.h"
#include "workloads/importer/lowering.h"
#include "workloads/importer/memory_plan.h"

namespace tinysim::importer {

struct ImportOptions {
  std::string model_path;  // the .tflite file
  // Directory for the generated files; created if missing. Default: the current directory.
  std::string output_dir = ".";
  // Symbol prefix and file name; empty: derived from the model's file name (sanitised, e.g.
  // "kws_ref_model.logits.tflite" -> "kws_ref_model_logits").
  std::string name;
  bool markers = true;  // emit operator markers (see EmitOptions::markers)
  PlanOptions plan;
};

struct ImportedOperator {
  size_t index = 0;
  std::string kind;  // TFLite builtin name
  std::string name;
  uint64_t macs = 0;
  std::vector<int32_t> output_shape;
};

struct ImportSummary {
  std::string name;
  std::vector<ImportedOperator> operators;
  uint64_t total_macs = 0;
  uint64_t weight_bytes = 0;
  int64_t arena_bytes = 0;
  int64_t unshared_bytes = 0;
  int64_t input_bytes = 0;
  int64_t output_bytes = 0;
  std::string header_path;
  std::string source_path;
  bool header_written = false;  // false: the file already had this content
  bool source_written = false;
};

// The default model name for a path: its file name without directories and without a final
// ".tflite", sanitised to a C identifier.
std::string default_model_name(const std::string& model_path);

// Reads, lowers, plans and generates. Throws ImportError (bad model, unsupported operator,
// unwritable output).
ImportSummary import_model(const ImportOptions& options);

}  // namespace tinysim::importer
