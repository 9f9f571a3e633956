// Lowering: kernel parameters of a known layer, and errors that name the operator, its index and
// what is unsupported (models mutated after reading).
#include "workloads/importer/lowering.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/importer/model_files.h"
#include "workloads/importer/import_error.h"
#include "workloads/importer/tflite_reader.h"

namespace tinysim::importer {
namespace {

using testing::model_path;

Graph kws() {
  return read_tflite_file(model_path("kws_ref_model"));
}

// The ImportError message of lower(graph); fails the test when it succeeds.
std::string lowering_error(const Graph& graph) {
  try {
    lower(graph);
  } catch (const ImportError& e) {
    return e.what();
  }
  ADD_FAILURE() << "lowering succeeded";
  return {};
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

TEST(Lowering, FirstKwsConvolution) {
  const Graph graph = kws();
  const LoweredGraph lowered = lower(graph);
  const KernelCall& c = lowered.calls[0];
  EXPECT_EQ(c.kind, KernelKind::kConv2D);
  EXPECT_EQ(c.builtin_name, "CONV_2D");
  EXPECT_EQ(c.name, "conv_2d_0");
  EXPECT_EQ(c.macs, 320000u);  // 25 * 5 * 64 outputs x 10 * 4 * 1 taps
  EXPECT_EQ(c.stride_h, 2);
  EXPECT_EQ(c.pad_h, 4);
  EXPECT_EQ(c.pad_w, 1);
  EXPECT_EQ(c.input_offset, -83);  // input zero point 83
  EXPECT_EQ(c.act.max, 127);
  ASSERT_EQ(c.multipliers.size(), 64u);
  for (const int32_t m : c.multipliers) {
    EXPECT_GE(m, 1 << 30);
  }
  // Per-channel: input_scale * weight_scale[c] / output_scale.
  const auto& q = graph.tensors[static_cast<size_t>(c.filter)].quantization.scale;
  const double real = double{graph.tensors[0].quantization.scale[0]} * q[5] /
                      graph.tensors[static_cast<size_t>(c.output)].quantization.scale[0];
  EXPECT_NEAR(c.multipliers[5] * std::pow(2.0, c.shifts[5] - 31), real, real * 1e-9);

  const KernelCall& fc = lowered.calls[11];
  EXPECT_EQ(fc.kind, KernelKind::kFullyConnected);
  EXPECT_EQ(fc.in_depth, 64);
  EXPECT_EQ(fc.out_depth, 12);
  EXPECT_EQ(fc.batches, 1);
  EXPECT_EQ(fc.multipliers.size(), 12u);  // per-tensor scale replicated

  const KernelCall& softmax = lowered.calls[12];
  EXPECT_EQ(softmax.outer, 1);
  EXPECT_EQ(softmax.depth, 12);
  EXPECT_LT(softmax.softmax.diff_min, 0);
}

TEST(Lowering, UnsupportedOperatorIsNamedWithItsIndex) {
  Graph graph = kws();
  graph.operators[3].builtin_code = 14;  // LOGISTIC
  const std::string error = lowering_error(graph);
  expect_contains(error, "operator 3 (LOGISTIC)");
  expect_contains(error, "not supported");
}

TEST(Lowering, UnknownAndCustomOperators) {
  Graph graph = kws();
  graph.operators[1].builtin_code = 999;
  expect_contains(lowering_error(graph), "operator 1 (BUILTIN_999)");
  graph = kws();
  graph.operators[2].builtin_code = builtin::kCustom;
  graph.operators[2].custom_code = "MyOp";
  expect_contains(lowering_error(graph), "operator 2 (CUSTOM 'MyOp')");
}

TEST(Lowering, UnsupportedDtypeIsNamed) {
  Graph graph = kws();
  graph.tensors[static_cast<size_t>(graph.operators[4].outputs[0])].type = TensorType::kInt16;
  const std::string error = lowering_error(graph);
  expect_contains(error, "operator 4 (CONV_2D)");
  expect_contains(error, "INT16");
}

TEST(Lowering, FloatModelsAreRejectedAtTheInput) {
  Graph graph = kws();
  graph.tensors[static_cast<size_t>(graph.inputs[0])].type = TensorType::kFloat32;
  expect_contains(lowering_error(graph), "FLOAT32");
}

TEST(Lowering, UnsupportedActivationIsNamed) {
  Graph graph = kws();
  graph.operators[6].options.activation = Activation::kTanh;
  const std::string error = lowering_error(graph);
  expect_contains(error, "operator 6 (CONV_2D)");
  expect_contains(error, "TANH");
}

TEST(Lowering, InconsistentShapesAreRejected) {
  Graph graph = kws();
  graph.operators[0].options.stride_h = 1;  // output would be 49 rows, the tensor has 25
  expect_contains(lowering_error(graph), "operator 0 (CONV_2D): output is 25x5");

  graph = read_tflite_file(model_path("pretrainedResnet_quant"));
  for (size_t i = 0; i < graph.operators.size(); ++i) {
    if (graph.operators[i].kind() == "ADD") {
      graph.tensors[static_cast<size_t>(graph.operators[i].outputs[0])].shape = {1, 1, 1, 16};
      const std::string error = lowering_error(graph);
      expect_contains(error, "operator " + std::to_string(i) + " (ADD)");
      expect_contains(error, "broadcasting");
      break;
    }
  }
}

TEST(Lowering, PerChannelWeightsMustMatchTheChannels) {
  Graph graph = kws();
  auto& scales =
      graph.tensors[static_cast<size_t>(graph.operators[2].inputs[1])].quantization.scale;
  scales.resize(10);
  expect_contains(lowering_error(graph), "10 scales for 64 output channels");
}

TEST(Lowering, MaxPoolIsSupported) {
  // No bundled model has MAX_POOL_2D: turn KWS's average pooling into one.
  Graph graph = kws();
  graph.operators[9].builtin_code = builtin::kMaxPool2D;
  const LoweredGraph lowered = lower(graph);
  EXPECT_EQ(lowered.calls[9].kind, KernelKind::kMaxPool2D);
  EXPECT_EQ(lowered.calls[9].pool_h, 25);
}

TEST(Lowering, GraphWithTwoOutputsIsRejected) {
  Graph graph = kws();
  graph.outputs.push_back(graph.operators[5].outputs[0]);
  expect_contains(lowering_error(graph), "one input and one output");
}

}  // namespace
}  // namespace tinysim::importer
