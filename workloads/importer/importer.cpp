#include "workloads/importer/importer.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "workloads/importer/import_error.h"
#include "workloads/importer/tflite_reader.h"

namespace tinysim::importer {
namespace {

// Writes `content` to `path` unless the file already holds exactly that. Returns whether it
// wrote.
bool write_if_changed(const std::filesystem::path& path, const std::string& content) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      const std::string existing((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
      if (existing == content) return false;
    }
  }
  // Write to a temporary file and rename, so a build never sees half a file.
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw OutputError("cannot write '" + temporary.string() + "'");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw OutputError("cannot write '" + temporary.string() + "'");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    throw OutputError("cannot write '" + path.string() + "': " + error.message());
  }
  return true;
}

}  // namespace

std::string default_model_name(const std::string& model_path) {
  std::string stem = std::filesystem::path(model_path).filename().string();
  const std::string extension = ".tflite";
  if (stem.size() > extension.size() &&
      stem.compare(stem.size() - extension.size(), extension.size(), extension) == 0) {
    stem.resize(stem.size() - extension.size());
  }
  return sanitize_identifier(stem);
}

ImportSummary import_model(const ImportOptions& options) {
  const Graph graph = read_tflite_file(options.model_path);
  const LoweredGraph lowered = [&] {
    try {
      return lower(graph);
    } catch (const ImportError& e) {
      throw ImportError(options.model_path + ": " + e.what());
    }
  }();
  const MemoryPlan plan = plan_memory(lowered, options.plan);
  if (const auto conflict = check_memory_plan(lowered, plan)) {
    throw std::logic_error("memory plan check failed: " + *conflict);  // a planner bug
  }

  EmitOptions emit;
  emit.name = options.name.empty() ? default_model_name(options.model_path)
                                   : sanitize_identifier(options.name);
  emit.markers = options.markers;
  emit.source_file = std::filesystem::path(options.model_path).filename().string();
  const GeneratedCode code = emit_c(lowered, plan, emit);

  const std::filesystem::path dir(options.output_dir.empty() ? "." : options.output_dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw OutputError("cannot create directory '" + dir.string() + "': " + error.message());
  }

  ImportSummary summary;
  summary.name = emit.name;
  summary.header_path = (dir / code.header_name).string();
  summary.source_path = (dir / code.source_name).string();
  summary.header_written = write_if_changed(summary.header_path, code.header);
  summary.source_written = write_if_changed(summary.source_path, code.source);
  for (const KernelCall& call : lowered.calls) {
    summary.operators.push_back(
        ImportedOperator{call.op_index, call.builtin_name, call.name, call.macs,
                         graph.tensors[static_cast<size_t>(call.output)].shape});
  }
  summary.total_macs = lowered.total_macs;
  summary.weight_bytes = lowered.weight_bytes;
  summary.arena_bytes = plan.arena_bytes;
  summary.unshared_bytes = plan.unshared_bytes;
  summary.input_bytes = graph.tensors[static_cast<size_t>(lowered.input)].byte_size();
  summary.output_bytes = graph.tensors[static_cast<size_t>(lowered.output)].byte_size();
  return summary;
}

}  // namespace tinysim::importer
