// The TFLite reader on the bundled models (operators and MAC counts of models/README.md) and on
// hostile input: truncated files, bit flips and random bytes must give an ImportError, never a
// crash (run these under ASan/UBSan to check for silent out-of-bounds reads too).
#include "workloads/importer/tflite_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <random>

#include "tests/importer/model_files.h"
#include "workloads/importer/import_error.h"
#include "workloads/importer/lowering.h"
#include "workloads/importer/memory_plan.h"

namespace tinysim::importer {
namespace {

using testing::model_path;

std::vector<uint8_t> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::map<std::string, int> operator_counts(const Graph& graph) {
  std::map<std::string, int> counts;
  for (const Operator& op : graph.operators) ++counts[op.kind()];
  return counts;
}

struct Expected {
  std::string model;
  std::map<std::string, int> operators;
  uint64_t macs;
};

// models/README.md.
const std::vector<Expected>& expected_models() {
  static const std::vector<Expected> expected = {
      {"kws_ref_model",
       {{"CONV_2D", 5},
        {"DEPTHWISE_CONV_2D", 4},
        {"AVERAGE_POOL_2D", 1},
        {"RESHAPE", 1},
        {"FULLY_CONNECTED", 1},
        {"SOFTMAX", 1}},
       2656768},
      {"vww_96_int8",
       {{"CONV_2D", 14},
        {"DEPTHWISE_CONV_2D", 13},
        {"AVERAGE_POOL_2D", 1},
        {"RESHAPE", 1},
        {"FULLY_CONNECTED", 1},
        {"SOFTMAX", 1}},
       7489664},
      {"pretrainedResnet_quant",
       {{"CONV_2D", 9},
        {"ADD", 3},
        {"AVERAGE_POOL_2D", 1},
        {"RESHAPE", 1},
        {"FULLY_CONNECTED", 1},
        {"SOFTMAX", 1}},
       12501632},
      {"ad01_int8", {{"FULLY_CONNECTED", 10}}, 264192},
  };
  return expected;
}

TEST(TfliteReader, BundledModelsHaveTheDocumentedOperatorsAndMacs) {
  for (const Expected& e : expected_models()) {
    for (const std::string suffix : {"", ".logits"}) {
      if (!suffix.empty() && e.model == "ad01_int8") continue;  // no logits variant
      SCOPED_TRACE(e.model + suffix);
      const Graph graph = read_tflite_file(model_path(e.model + suffix));
      EXPECT_EQ(operator_counts(graph), e.operators);
      ASSERT_EQ(graph.inputs.size(), 1u);
      ASSERT_EQ(graph.outputs.size(), 1u);
      const LoweredGraph lowered = lower(graph);
      EXPECT_EQ(lowered.total_macs, e.macs);
    }
  }
}

TEST(TfliteReader, ReadsShapesQuantisationAndOptions) {
  const Graph graph = read_tflite_file(model_path("kws_ref_model"));
  const Tensor& input = graph.tensors[static_cast<size_t>(graph.inputs[0])];
  EXPECT_EQ(input.type, TensorType::kInt8);
  EXPECT_EQ(input.shape, (std::vector<int32_t>{1, 49, 10, 1}));
  ASSERT_EQ(input.quantization.scale.size(), 1u);
  EXPECT_FALSE(input.is_constant);

  const Operator& conv = graph.operators[0];
  EXPECT_EQ(conv.kind(), "CONV_2D");
  EXPECT_EQ(conv.options.stride_h, 2);
  EXPECT_EQ(conv.options.stride_w, 2);
  EXPECT_EQ(conv.options.padding, Padding::kSame);
  EXPECT_EQ(conv.options.activation, Activation::kRelu);
  const Tensor& filter = graph.tensors[static_cast<size_t>(conv.inputs[1])];
  EXPECT_EQ(filter.shape, (std::vector<int32_t>{64, 10, 4, 1}));
  EXPECT_TRUE(filter.is_constant);
  EXPECT_EQ(filter.data.size(), 2560u);
  EXPECT_EQ(filter.quantization.scale.size(), 64u);  // per channel

  const Operator& pool = graph.operators[9];
  EXPECT_EQ(pool.kind(), "AVERAGE_POOL_2D");
  EXPECT_EQ(pool.options.filter_h, 25);
  EXPECT_EQ(pool.options.filter_w, 5);
  EXPECT_EQ(pool.options.padding, Padding::kValid);

  const Operator& softmax = graph.operators.back();
  EXPECT_EQ(softmax.kind(), "SOFTMAX");
  EXPECT_FLOAT_EQ(softmax.options.beta, 1.0f);
}

TEST(TfliteReader, LogitsVariantDiffersOnlyInTheOutput) {
  const Graph original = read_tflite_file(model_path("pretrainedResnet_quant"));
  const Graph logits = read_tflite_file(model_path("pretrainedResnet_quant.logits"));
  EXPECT_EQ(original.operators.size(), logits.operators.size());
  EXPECT_EQ(original.operators.back().inputs[0], logits.outputs[0]);
}

// Parses `bytes` and, when that succeeds, lowers and plans it; everything must either succeed
// or throw ImportError.
void expect_graceful(const std::vector<uint8_t>& bytes) {
  try {
    const Graph graph = read_tflite(bytes);
    const LoweredGraph lowered = lower(graph);
    const MemoryPlan plan = plan_memory(lowered);
    EXPECT_FALSE(check_memory_plan(lowered, plan).has_value());
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()), "");
  }
}

TEST(TfliteReader, TruncatedFilesAreRejected) {
  const std::vector<uint8_t> bytes = file_bytes(model_path("kws_ref_model"));
  ASSERT_GT(bytes.size(), 1000u);
  // Every length in the first 512 bytes (headers, vtables, root tables), then ~400 more spread
  // over the rest. The reader verifies what it reads, and the converter's last bytes are fields
  // it does not need (the final operator code's version): cutting only those is harmless.
  std::vector<size_t> lengths;
  for (size_t n = 0; n < 512; ++n) lengths.push_back(n);
  for (size_t n = 512; n < bytes.size(); n += bytes.size() / 400) lengths.push_back(n);
  for (size_t n = bytes.size() - 16; n < bytes.size(); ++n) lengths.push_back(n);
  for (const size_t n : lengths) {
    SCOPED_TRACE(n);
    const std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + static_cast<long>(n));
    if (n + 16 <= bytes.size()) {
      EXPECT_THROW(read_tflite(truncated), ImportError);
    } else {
      expect_graceful(truncated);
    }
  }
}

TEST(TfliteReader, BitFlipsNeverCrash) {
  for (const std::string model : {"kws_ref_model", "pretrainedResnet_quant"}) {
    const std::vector<uint8_t> bytes = file_bytes(model_path(model));
    std::mt19937 random(12345);
    // Flips anywhere, and many in the first KiB where the tables and offsets are.
    std::uniform_int_distribution<size_t> anywhere(0, bytes.size() - 1);
    std::uniform_int_distribution<size_t> front(0, 1023);
    std::uniform_int_distribution<int> bit(0, 7);
    for (int i = 0; i < 600; ++i) {
      std::vector<uint8_t> mutated = bytes;
      const int flips = 1 + i % 4;
      for (int f = 0; f < flips; ++f) {
        const size_t at = (i % 2 == 0) ? anywhere(random) : front(random);
        mutated[at] ^= static_cast<uint8_t>(1u << bit(random));
      }
      expect_graceful(mutated);
    }
  }
}

TEST(TfliteReader, RandomBytesAreRejected) {
  std::mt19937 random(777);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> bytes(static_cast<size_t>(8 + (i * 37) % 4096));
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(byte(random));
    if (i % 2 == 0) std::copy_n("TFL3", 4, bytes.begin() + 4);  // get past the identifier
    if (i % 4 == 0) {                                           // a plausible root offset too
      bytes[0] = 16;
      bytes[1] = bytes[2] = bytes[3] = 0;
    }
    EXPECT_THROW(read_tflite(bytes), ImportError);
  }
}

TEST(TfliteReader, ErrorsNameTheProblem) {
  try {
    read_tflite(std::vector<uint8_t>{1, 2, 3});
    FAIL();
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("too short"), std::string::npos) << e.what();
  }
  try {
    read_tflite(std::vector<uint8_t>(64, 0));
    FAIL();
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("TFL3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_tflite_file("/nonexistent/model.tflite"), ImportError);
}

}  // namespace
}  // namespace tinysim::importer
