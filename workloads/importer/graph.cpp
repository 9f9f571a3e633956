#include "workloads/importer/graph.h"

#include <array>
#include <sstream>

namespace tinysim::importer {

std::string tensor_type_name(TensorType type) {
  static constexpr std::array<std::string_view, 11> kNames = {
      "FLOAT32", "FLOAT16", "INT32",     "UINT8", "INT64",  "STRING",
      "BOOL",    "INT16",   "COMPLEX64", "INT8",  "FLOAT64"};
  const auto i = static_cast<int>(type);
  if (i >= 0 && i < static_cast<int>(kNames.size())) return std::string(kNames[i]);
  return "TYPE_" + std::to_string(i);
}

size_t tensor_type_size(TensorType type) {
  switch (type) {
    case TensorType::kFloat32:
      return 4;
    case TensorType::kFloat16:
      return 2;
    case TensorType::kInt32:
      return 4;
    case TensorType::kUInt8:
      return 1;
    case TensorType::kInt64:
      return 8;
    case TensorType::kBool:
      return 1;
    case TensorType::kInt16:
      return 2;
    case TensorType::kComplex64:
      return 8;
    case TensorType::kInt8:
      return 1;
    case TensorType::kFloat64:
      return 8;
    case TensorType::kString:
      return 0;
  }
  return 0;
}

std::string builtin_operator_name(int32_t code) {
  // Schema enum BuiltinOperator, in value order.
  static constexpr std::array<std::string_view, 146> kNames = {"ADD",
                                                               "AVERAGE_POOL_2D",
                                                               "CONCATENATION",
                                                               "CONV_2D",
                                                               "DEPTHWISE_CONV_2D",
                                                               "DEPTH_TO_SPACE",
                                                               "DEQUANTIZE",
                                                               "EMBEDDING_LOOKUP",
                                                               "FLOOR",
                                                               "FULLY_CONNECTED",
                                                               "HASHTABLE_LOOKUP",
                                                               "L2_NORMALIZATION",
                                                               "L2_POOL_2D",
                                                               "LOCAL_RESPONSE_NORMALIZATION",
                                                               "LOGISTIC",
                                                               "LSH_PROJECTION",
                                                               "LSTM",
                                                               "MAX_POOL_2D",
                                                               "MUL",
                                                               "RELU",
                                                               "RELU_N1_TO_1",
                                                               "RELU6",
                                                               "RESHAPE",
                                                               "RESIZE_BILINEAR",
                                                               "RNN",
                                                               "SOFTMAX",
                                                               "SPACE_TO_DEPTH",
                                                               "SVDF",
                                                               "TANH",
                                                               "CONCAT_EMBEDDINGS",
                                                               "SKIP_GRAM",
                                                               "CALL",
                                                               "CUSTOM",
                                                               "EMBEDDING_LOOKUP_SPARSE",
                                                               "PAD",
                                                               "UNIDIRECTIONAL_SEQUENCE_RNN",
                                                               "GATHER",
                                                               "BATCH_TO_SPACE_ND",
                                                               "SPACE_TO_BATCH_ND",
                                                               "TRANSPOSE",
                                                               "MEAN",
                                                               "SUB",
                                                               "DIV",
                                                               "SQUEEZE",
                                                               "UNIDIRECTIONAL_SEQUENCE_LSTM",
                                                               "STRIDED_SLICE",
                                                               "BIDIRECTIONAL_SEQUENCE_RNN",
                                                               "EXP",
                                                               "TOPK_V2",
                                                               "SPLIT",
                                                               "LOG_SOFTMAX",
                                                               "DELEGATE",
                                                               "BIDIRECTIONAL_SEQUENCE_LSTM",
                                                               "CAST",
                                                               "PRELU",
                                                               "MAXIMUM",
                                                               "ARG_MAX",
                                                               "MINIMUM",
                                                               "LESS",
                                                               "NEG",
                                                               "PADV2",
                                                               "GREATER",
                                                               "GREATER_EQUAL",
                                                               "LESS_EQUAL",
                                                               "SELECT",
                                                               "SLICE",
                                                               "SIN",
                                                               "TRANSPOSE_CONV",
                                                               "SPARSE_TO_DENSE",
                                                               "TILE",
                                                               "EXPAND_DIMS",
                                                               "EQUAL",
                                                               "NOT_EQUAL",
                                                               "LOG",
                                                               "SUM",
                                                               "SQRT",
                                                               "RSQRT",
                                                               "SHAPE",
                                                               "POW",
                                                               "ARG_MIN",
                                                               "FAKE_QUANT",
                                                               "REDUCE_PROD",
                                                               "REDUCE_MAX",
                                                               "PACK",
                                                               "LOGICAL_OR",
                                                               "ONE_HOT",
                                                               "LOGICAL_AND",
                                                               "LOGICAL_NOT",
                                                               "UNPACK",
                                                               "REDUCE_MIN",
                                                               "FLOOR_DIV",
                                                               "REDUCE_ANY",
                                                               "SQUARE",
                                                               "ZEROS_LIKE",
                                                               "FILL",
                                                               "FLOOR_MOD",
                                                               "RANGE",
                                                               "RESIZE_NEAREST_NEIGHBOR",
                                                               "LEAKY_RELU",
                                                               "SQUARED_DIFFERENCE",
                                                               "MIRROR_PAD",
                                                               "ABS",
                                                               "SPLIT_V",
                                                               "UNIQUE",
                                                               "CEIL",
                                                               "REVERSE_V2",
                                                               "ADD_N",
                                                               "GATHER_ND",
                                                               "COS",
                                                               "WHERE",
                                                               "RANK",
                                                               "ELU",
                                                               "REVERSE_SEQUENCE",
                                                               "MATRIX_DIAG",
                                                               "QUANTIZE",
                                                               "MATRIX_SET_DIAG",
                                                               "ROUND",
                                                               "HARD_SWISH",
                                                               "IF",
                                                               "WHILE",
                                                               "NON_MAX_SUPPRESSION_V4",
                                                               "NON_MAX_SUPPRESSION_V5",
                                                               "SCATTER_ND",
                                                               "SELECT_V2",
                                                               "DENSIFY",
                                                               "SEGMENT_SUM",
                                                               "BATCH_MATMUL",
                                                               "PLACEHOLDER_FOR_GREATER_OP_CODES",
                                                               "CUMSUM",
                                                               "CALL_ONCE",
                                                               "BROADCAST_TO",
                                                               "RFFT2D",
                                                               "CONV_3D",
                                                               "IMAG",
                                                               "REAL",
                                                               "COMPLEX_ABS",
                                                               "HASHTABLE",
                                                               "HASHTABLE_FIND",
                                                               "HASHTABLE_IMPORT",
                                                               "HASHTABLE_SIZE",
                                                               "REDUCE_ALL",
                                                               "CONV_3D_TRANSPOSE",
                                                               "VAR_HANDLE",
                                                               "READ_VARIABLE",
                                                               "ASSIGN_VARIABLE",
                                                               "BROADCAST_ARGS"};
  if (code >= 0 && code < static_cast<int32_t>(kNames.size())) {
    return std::string(kNames[static_cast<size_t>(code)]);
  }
  return "BUILTIN_" + std::to_string(code);
}

std::string activation_name(Activation activation) {
  switch (activation) {
    case Activation::kNone:
      return "NONE";
    case Activation::kRelu:
      return "RELU";
    case Activation::kReluN1To1:
      return "RELU_N1_TO_1";
    case Activation::kRelu6:
      return "RELU6";
    case Activation::kTanh:
      return "TANH";
    case Activation::kSignBit:
      return "SIGN_BIT";
  }
  return "ACTIVATION_" + std::to_string(static_cast<int>(activation));
}

int64_t Tensor::element_count() const {
  int64_t count = 1;
  for (const int32_t d : shape) count *= d;
  return count;
}

int64_t Tensor::byte_size() const {
  return element_count() * static_cast<int64_t>(tensor_type_size(type));
}

std::string describe_operator(const Graph& graph, size_t index) {
  std::ostringstream out;
  out << "operator " << index;
  if (index < graph.operators.size()) {
    const Operator& op = graph.operators[index];
    out << " (" << op.kind();
    if (!op.custom_code.empty()) out << " '" << op.custom_code << "'";
    out << ")";
  }
  return out.str();
}

std::string describe_tensor(const Graph& graph, int32_t index) {
  std::ostringstream out;
  out << "tensor " << index;
  if (index >= 0 && static_cast<size_t>(index) < graph.tensors.size()) {
    const Tensor& t = graph.tensors[static_cast<size_t>(index)];
    if (!t.name.empty()) out << " '" << t.name << "'";
    out << " " << tensor_type_name(t.type) << " [";
    for (size_t i = 0; i < t.shape.size(); ++i) out << (i ? "," : "") << t.shape[i];
    out << "]";
  }
  return out.str();
}

}  // namespace tinysim::importer
