// Lowering: a Graph checked against what the int8 kernels support, with every kernel parameter
// computed on the host.
//
// lower() walks the operators in order and, for each, validates tensor types, quantisation and
// shapes, then fills a KernelCall with the arguments of one tinysim_nn kernel (<tinysim/nn.h>):
// shapes, padding, offsets, activation clamps and the per-channel fixed-point multipliers and
// shifts (quantization.h). Everything unsupported is an ImportError naming the operator (index
// and TFLite builtin name) and what is unsupported.
//
// Supported: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE_POOL_2D, MAX_POOL_2D, ADD
// (same-shape inputs), SOFTMAX, RESHAPE; int8 activations with per-tensor quantisation, int8
// weights with per-tensor or per-channel scales and zero point 0, int32 biases; fused NONE,
// RELU, RELU_N1_TO_1 and RELU6. The graph must have exactly one input and one output, both int8.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/importer/graph.h"
#include "workloads/importer/quantization.h"

namespace tinysim::importer {

enum class KernelKind {
  kConv2D,
  kDepthwiseConv2D,
  kFullyConnected,
  kAveragePool2D,
  kMaxPool2D,
  kAdd,
  kSoftmax,
  kReshape,
};

struct Shape4 {
  int32_t n = 1, h = 1, w = 1, c = 1;
  int64_t elements() const { return int64_t{n} * h * w * c; }
};

// One operator as a kernel call. Tensor fields are indices into Graph::tensors (-1: none).
struct KernelCall {
  size_t op_index = 0;  // index in Graph::operators (the marker index)
  KernelKind kind = KernelKind::kConv2D;
  std::string builtin_name;  // "CONV_2D": the TFLite builtin name (marker kind)
  std::string name;          // short display name (marker name, at most 39 characters)
  uint64_t macs = 0;         // multiply-accumulates of one execution

  int32_t input = -1;
  int32_t input2 = -1;  // ADD
  int32_t filter = -1;  // weights (conv, depthwise, fully connected)
  int32_t bias = -1;
  int32_t output = -1;

  Shape4 in_shape, filter_shape, out_shape;

  // Convolution and pooling geometry.
  int32_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1;
  int32_t depth_multiplier = 1;
  int32_t pool_h = 1, pool_w = 1;

  // Requantisation (conv, depthwise, fully connected): offsets and one multiplier/shift per
  // output channel.
  int32_t input_offset = 0;   // -input zero point
  int32_t output_offset = 0;  // output zero point
  ActivationRange act;
  std::vector<int32_t> multipliers;
  std::vector<int32_t> shifts;

  // Fully connected.
  int32_t batches = 1, in_depth = 0, out_depth = 0;

  // ADD.
  int32_t input2_offset = 0;
  AddQuantization add;
  int64_t size = 0;  // elements (ADD, RESHAPE, SOFTMAX)

  // SOFTMAX.
  SoftmaxQuantization softmax;
  int32_t outer = 1, depth = 1;
};

struct LoweredGraph {
  const Graph* graph = nullptr;   // not owned; must outlive this
  std::vector<KernelCall> calls;  // one per operator, in execution order
  int32_t input = -1;             // the graph's input tensor
  int32_t output = -1;            // the graph's output tensor
  uint64_t total_macs = 0;
  uint64_t weight_bytes = 0;  // constant tensors (weights, biases) plus multiplier tables
};

// Checks and lowers `graph`. Throws ImportError. REQUIRES: graph outlives the result.
LoweredGraph lower(const Graph& graph);

}  // namespace tinysim::importer
