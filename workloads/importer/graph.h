// Graph: the importer's in-memory form of one TFLite subgraph, independent of the FlatBuffer.
//
// The reader (tflite_reader.h) fills it from a .tflite file; lowering (lowering.h) checks it
// against what the int8 kernels support and computes kernel parameters; the planner and the C
// emitter work from the lowered form. A Graph holds copies of the constant data, so it outlives
// the file buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tinysim::importer {

// TFLite TensorType values (schema enum TensorType).
enum class TensorType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
};

// "INT8", "FLOAT32", ...; "TYPE_<n>" for values this table does not know.
std::string tensor_type_name(TensorType type);
// Bytes per element; 0 for types without a fixed size (STRING) or unknown ones.
size_t tensor_type_size(TensorType type);

// TFLite builtin operator codes the importer handles by name (schema enum BuiltinOperator).
namespace builtin {
inline constexpr int32_t kAdd = 0;
inline constexpr int32_t kAveragePool2D = 1;
inline constexpr int32_t kConv2D = 3;
inline constexpr int32_t kDepthwiseConv2D = 4;
inline constexpr int32_t kFullyConnected = 9;
inline constexpr int32_t kMaxPool2D = 17;
inline constexpr int32_t kReshape = 22;
inline constexpr int32_t kSoftmax = 25;
inline constexpr int32_t kCustom = 32;
}  // namespace builtin

// The schema name of a builtin operator code ("CONV_2D"); "BUILTIN_<n>" when unknown.
std::string builtin_operator_name(int32_t code);

enum class Padding : int8_t { kSame = 0, kValid = 1 };

// Fused activation (schema enum ActivationFunctionType).
enum class Activation : int8_t {
  kNone = 0,
  kRelu = 1,
  kReluN1To1 = 2,
  kRelu6 = 3,
  kTanh = 4,
  kSignBit = 5,
};
std::string activation_name(Activation activation);

// Per-tensor or per-channel affine quantisation: real = scale * (q - zero_point).
struct Quantization {
  std::vector<float> scale;         // empty: not quantised; 1 entry: per tensor
  std::vector<int64_t> zero_point;  // same length as scale (or empty)
  int32_t quantized_dimension = 0;  // the channel axis when scale has more than one entry
};

struct Tensor {
  std::string name;
  TensorType type = TensorType::kFloat32;
  std::vector<int32_t> shape;  // as stored; a scalar has rank 0
  Quantization quantization;
  bool is_constant = false;   // has data in a buffer (weights, biases, shapes)
  std::vector<uint8_t> data;  // the constant's bytes, little-endian as in the file
  bool is_variable = false;

  // Product of the dimensions (1 for a scalar). REQUIRES: every dimension >= 0.
  int64_t element_count() const;
  // element_count() * tensor_type_size(type).
  int64_t byte_size() const;
};

// The options of the operators the importer supports; fields an operator does not have keep
// their defaults.
struct OperatorOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1;
  int32_t stride_h = 1;
  int32_t dilation_w = 1;
  int32_t dilation_h = 1;
  int32_t depth_multiplier = 1;
  int32_t filter_w = 1;  // pooling window
  int32_t filter_h = 1;
  Activation activation = Activation::kNone;
  float beta = 1.0f;           // SOFTMAX
  bool keep_num_dims = false;  // FULLY_CONNECTED
  int8_t weights_format = 0;   // FULLY_CONNECTED: 0 DEFAULT, 1 SHUFFLED4x16INT8
  bool has_builtin_options = false;
};

struct Operator {
  int32_t builtin_code = 0;
  std::string custom_code;       // CUSTOM operators only
  std::vector<int32_t> inputs;   // tensor indices; -1 for an omitted optional input
  std::vector<int32_t> outputs;  // tensor indices
  OperatorOptions options;

  std::string kind() const { return builtin_operator_name(builtin_code); }
};

struct Graph {
  std::string name;  // subgraph name (may be empty)
  std::string description;
  uint32_t schema_version = 0;
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;  // in execution order
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
};

// "operator 3 (CONV_2D)": how every message names an operator.
std::string describe_operator(const Graph& graph, size_t index);
// "tensor 7 'conv1/Relu' INT8 [1,25,5,64]".
std::string describe_tensor(const Graph& graph, int32_t index);

}  // namespace tinysim::importer
