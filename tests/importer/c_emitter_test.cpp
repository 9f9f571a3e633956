// The generated C: entry points, markers, constants; and name sanitising.
#include "workloads/importer/c_emitter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "tests/importer/model_files.h"
#include "workloads/importer/import_error.h"
#include "workloads/importer/importer.h"
#include "workloads/importer/tflite_reader.h"

namespace tinysim::importer {
namespace {

using testing::model_path;

GeneratedCode generate(const std::string& model, bool markers) {
  const Graph graph = read_tflite_file(model_path(model));
  const LoweredGraph lowered = lower(graph);
  const MemoryPlan plan = plan_memory(lowered);
  EmitOptions options;
  options.name = default_model_name(model_path(model));
  options.markers = markers;
  options.source_file = model + ".tflite";
  return emit_c(lowered, plan, options);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CEmitter, SanitizesNames) {
  EXPECT_EQ(sanitize_identifier("kws_ref_model.logits"), "kws_ref_model_logits");
  EXPECT_EQ(sanitize_identifier("96-net v2"), "_96_net_v2");
  EXPECT_EQ(sanitize_identifier(""), "model");
  EXPECT_EQ(default_model_name("/a/b/kws_ref_model.logits.tflite"), "kws_ref_model_logits");
  EXPECT_EQ(default_model_name("model.bin"), "model_bin");
}

TEST(CEmitter, HeaderDeclaresTheEntryPointsAndSizes) {
  const GeneratedCode code = generate("kws_ref_model", true);
  EXPECT_EQ(code.header_name, "kws_ref_model.h");
  EXPECT_EQ(code.source_name, "kws_ref_model.c");
  EXPECT_TRUE(
      contains(code.header, "int kws_ref_model_invoke(const int8_t* input, int8_t* output);"));
  EXPECT_TRUE(contains(code.header, "int8_t* kws_ref_model_input_buffer(void);"));
  EXPECT_TRUE(contains(code.header, "#define KWS_REF_MODEL_INPUT_SIZE 490 "));
  EXPECT_TRUE(contains(code.header, "#define KWS_REF_MODEL_OUTPUT_SIZE 12 "));
  EXPECT_TRUE(contains(code.header, "#define KWS_REF_MODEL_ARENA_SIZE 16256 "));
  EXPECT_TRUE(contains(code.header, "kws_ref_model_input_size = 490"));
}

TEST(CEmitter, SourceHasMarkersConstantsAndOneCallPerOperator) {
  const GeneratedCode code = generate("kws_ref_model", true);
  const std::string& s = code.source;
  EXPECT_TRUE(contains(s, "#include \"tinysim/markers.h\""));
  EXPECT_TRUE(
      contains(s, "TINYSIM_OP_INFO(kws_ref_model_op0, 0, \"CONV_2D\", \"conv_2d_0\", 320000ull);"));
  EXPECT_TRUE(
      contains(s, "TINYSIM_OP_INFO(kws_ref_model_op12, 12, \"SOFTMAX\", \"softmax_12\", 0ull);"));
  EXPECT_TRUE(contains(s, "static const int8_t kws_ref_model_w17[2560]"));
  EXPECT_TRUE(contains(s, "static int8_t kws_ref_model_arena[16256]"));
  for (int op = 0; op < 13; ++op) {
    EXPECT_TRUE(contains(s, "TINYSIM_OP_BEGIN(" + std::to_string(op) + ");")) << op;
    EXPECT_TRUE(contains(s, "TINYSIM_OP_END(" + std::to_string(op) + ");")) << op;
  }
  size_t conv_calls = 0;
  for (size_t p = s.find("ts_conv2d_s8("); p != std::string::npos;
       p = s.find("ts_conv2d_s8(", p + 1)) {
    ++conv_calls;
  }
  EXPECT_EQ(conv_calls, 5u);
  EXPECT_TRUE(contains(s, "ts_softmax_s8(&params, 1, 12, output, output);"));
}

TEST(CEmitter, NoMarkersMeansNoMarkerCode) {
  const GeneratedCode code = generate("ad01_int8", false);
  EXPECT_FALSE(contains(code.source, "TINYSIM_"));
  EXPECT_FALSE(contains(code.source, "markers.h"));
  EXPECT_TRUE(contains(code.source, "ts_fully_connected_s8("));
}

TEST(Importer, WritesFilesOnlyWhenChanged) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("tinysim-import-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ImportOptions options;
  options.model_path = model_path("ad01_int8");
  options.output_dir = dir.string();
  options.name = "ad";
  ImportSummary first = import_model(options);
  EXPECT_TRUE(first.source_written);
  EXPECT_TRUE(first.header_written);
  EXPECT_EQ(first.name, "ad");
  EXPECT_TRUE(std::filesystem::exists(dir / "ad.c"));
  EXPECT_EQ(first.operators.size(), 10u);
  EXPECT_EQ(first.total_macs, 264192u);
  ImportSummary second = import_model(options);
  EXPECT_FALSE(second.source_written);
  EXPECT_FALSE(second.header_written);
  std::filesystem::remove_all(dir);
}

TEST(Importer, UnwritableOutputIsAnOutputError) {
  ImportOptions options;
  options.model_path = model_path("ad01_int8");
  options.output_dir = "/proc/tinysim-cannot-create";
  EXPECT_THROW(import_model(options), OutputError);
}

}  // namespace
}  // namespace tinysim::importer
