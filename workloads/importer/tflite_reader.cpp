#include "workloads/importer/tflite_reader.h"

#include <flatbuffers/flatbuffers.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <vector>

#include "workloads/importer/import_error.h"

namespace tinysim::importer {
namespace {

using flatbuffers::String;
using flatbuffers::Table;
using flatbuffers::uoffset_t;
using flatbuffers::Vector;
using flatbuffers::voffset_t;

// The vtable slot of the field with schema id `id` (fields are numbered in declaration order).
constexpr voffset_t slot(int id) {
  return static_cast<voffset_t>(4 + 2 * id);
}

// Field ids of TensorFlow Lite's schema.fbs, as vtable slots.
namespace model_field {
constexpr voffset_t kVersion = slot(0);
constexpr voffset_t kOperatorCodes = slot(1);
constexpr voffset_t kSubgraphs = slot(2);
constexpr voffset_t kDescription = slot(3);
constexpr voffset_t kBuffers = slot(4);
}  // namespace model_field
namespace operator_code_field {
constexpr voffset_t kDeprecatedBuiltinCode = slot(0);  // byte
constexpr voffset_t kCustomCode = slot(1);             // string
constexpr voffset_t kBuiltinCode = slot(3);            // int (BuiltinOperator)
}  // namespace operator_code_field
namespace subgraph_field {
constexpr voffset_t kTensors = slot(0);
constexpr voffset_t kInputs = slot(1);
constexpr voffset_t kOutputs = slot(2);
constexpr voffset_t kOperators = slot(3);
constexpr voffset_t kName = slot(4);
}  // namespace subgraph_field
namespace buffer_field {
constexpr voffset_t kData = slot(0);    // [ubyte]
constexpr voffset_t kOffset = slot(1);  // ulong: data outside the FlatBuffer (models > 2 GB)
constexpr voffset_t kSize = slot(2);    // ulong
}  // namespace buffer_field
namespace tensor_field {
constexpr voffset_t kShape = slot(0);
constexpr voffset_t kType = slot(1);
constexpr voffset_t kBuffer = slot(2);
constexpr voffset_t kName = slot(3);
constexpr voffset_t kQuantization = slot(4);
constexpr voffset_t kIsVariable = slot(5);
constexpr voffset_t kSparsity = slot(6);
}  // namespace tensor_field
namespace quantization_field {
constexpr voffset_t kScale = slot(2);
constexpr voffset_t kZeroPoint = slot(3);
constexpr voffset_t kDetailsType = slot(4);
constexpr voffset_t kQuantizedDimension = slot(6);
}  // namespace quantization_field
namespace operator_field {
constexpr voffset_t kOpcodeIndex = slot(0);
constexpr voffset_t kInputs = slot(1);
constexpr voffset_t kOutputs = slot(2);
constexpr voffset_t kBuiltinOptionsType = slot(3);
constexpr voffset_t kBuiltinOptions = slot(4);
}  // namespace operator_field

// BuiltinOptions union member types.
namespace options_type {
constexpr uint8_t kNone = 0;
constexpr uint8_t kConv2D = 1;
constexpr uint8_t kDepthwiseConv2D = 2;
constexpr uint8_t kPool2D = 5;
constexpr uint8_t kFullyConnected = 8;
constexpr uint8_t kSoftmax = 9;
constexpr uint8_t kAdd = 11;
constexpr uint8_t kReshape = 17;
}  // namespace options_type

// More tensors or operators than any MCU model has; bounds the work hostile files can cause.
constexpr uint32_t kMaxElements = 1u << 20;

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes)
      : bytes_(bytes), verifier_(bytes.data(), bytes.size(), verifier_options()) {}

  Graph read() {
    const Table* model = root();
    Graph graph;
    graph.schema_version = scalar<uint32_t>(model, model_field::kVersion, 0, "Model.version");
    if (graph.schema_version != 3) {
      fail("schema version " + std::to_string(graph.schema_version) + " (expected 3)");
    }
    if (const String* d = string(model, model_field::kDescription, "Model.description")) {
      graph.description = d->str();
    }
    read_operator_codes(model);
    const auto* buffers = table_vector(model, model_field::kBuffers, "Model.buffers");
    const auto* subgraphs = table_vector(model, model_field::kSubgraphs, "Model.subgraphs");
    if (subgraphs == nullptr || subgraphs->size() == 0) fail("the model has no subgraph");
    const Table* subgraph = element(subgraphs, 0, "Model.subgraphs[0]");
    read_subgraph(subgraph, buffers, graph);
    verifier_.EndTable();  // subgraph
    verifier_.EndTable();  // model
    return graph;
  }

 private:
  static flatbuffers::Verifier::Options verifier_options() {
    flatbuffers::Verifier::Options options;
    options.max_depth = 32;
    options.max_tables = 4u << 20;
    options.check_alignment = true;
    return options;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw ImportError("invalid TFLite file: " + what);
  }
  void check(bool ok, const char* what) const {
    if (!ok) fail(std::string("malformed ") + what + " (offset or size out of range)");
  }

  const Table* root() {
    if (bytes_.size() < 8) fail("file too short (" + std::to_string(bytes_.size()) + " bytes)");
    if (std::memcmp(bytes_.data() + 4, "TFL3", 4) != 0) {
      fail("no TFL3 file identifier at offset 4 (not a TFLite FlatBuffer)");
    }
    const uoffset_t offset = verifier_.VerifyOffset(0);
    check(offset != 0, "root offset");
    const auto* model = reinterpret_cast<const Table*>(bytes_.data() + offset);
    check(model->VerifyTableStart(verifier_), "Model table");
    return model;
  }

  // A scalar field, verified.
  template <typename T>
  T scalar(const Table* table, voffset_t field, T default_value, const char* what) {
    check(table->VerifyField<T>(verifier_, field, sizeof(T)), what);
    return table->GetField<T>(field, default_value);
  }

  // A sub-table field (nullptr when absent); the caller ends it with verifier_.EndTable().
  const Table* table(const Table* parent, voffset_t field, const char* what) {
    check(parent->VerifyOffset(verifier_, field), what);
    const auto* t = parent->GetPointer<const Table*>(field);
    if (t != nullptr) check(t->VerifyTableStart(verifier_), what);
    return t;
  }

  const String* string(const Table* parent, voffset_t field, const char* what) {
    check(parent->VerifyOffset(verifier_, field), what);
    const auto* s = parent->GetPointer<const String*>(field);
    check(verifier_.VerifyString(s), what);
    return s;
  }

  template <typename T>
  const Vector<T>* vector(const Table* parent, voffset_t field, const char* what) {
    check(parent->VerifyOffset(verifier_, field), what);
    const auto* v = parent->GetPointer<const Vector<T>*>(field);
    check(verifier_.VerifyVector(v), what);
    if (v != nullptr && v->size() > kMaxElements * 64) fail(std::string(what) + " too long");
    return v;
  }

  template <typename T>
  std::vector<T> scalar_vector(const Table* parent, voffset_t field, const char* what) {
    std::vector<T> out;
    if (const auto* v = vector<T>(parent, field, what)) {
      // The verifier checks the alignment of the length, not of 8-byte elements: copy bytes
      // instead of dereferencing (FlatBuffers data is little-endian, like every supported host).
      out.resize(v->size());
      if (!out.empty()) std::memcpy(out.data(), v->Data(), out.size() * sizeof(T));
    }
    return out;
  }

  const Vector<flatbuffers::Offset<Table>>* table_vector(const Table* parent, voffset_t field,
                                                         const char* what) {
    const auto* v = vector<flatbuffers::Offset<Table>>(parent, field, what);
    if (v != nullptr && v->size() > kMaxElements) fail(std::string(what) + " has too many entries");
    return v;
  }

  // Element i of a vector of tables, verified; the caller ends it with verifier_.EndTable().
  const Table* element(const Vector<flatbuffers::Offset<Table>>* v, uoffset_t i, const char* what) {
    const auto* slot_address = v->Data() + i * sizeof(uoffset_t);
    check(verifier_.VerifyOffset(static_cast<size_t>(slot_address - bytes_.data())) != 0, what);
    const Table* t = v->Get(i);
    check(t->VerifyTableStart(verifier_), what);
    return t;
  }

  void read_operator_codes(const Table* model) {
    const auto* codes = table_vector(model, model_field::kOperatorCodes, "Model.operator_codes");
    if (codes == nullptr) return;
    for (uoffset_t i = 0; i < codes->size(); ++i) {
      const Table* code = element(codes, i, "OperatorCode");
      const auto deprecated = scalar<int8_t>(code, operator_code_field::kDeprecatedBuiltinCode, 0,
                                             "OperatorCode.deprecated_builtin_code");
      const auto builtin =
          scalar<int32_t>(code, operator_code_field::kBuiltinCode, 0, "OperatorCode.builtin_code");
      // Files written before builtin_code existed only have the byte field; newer ones write
      // both (the byte saturated at 127). The larger of the two is the operator.
      codes_.push_back(std::max<int32_t>(deprecated, builtin));
      const String* custom = string(code, operator_code_field::kCustomCode, "OperatorCode.custom");
      custom_codes_.push_back(custom != nullptr ? custom->str() : std::string());
      verifier_.EndTable();
    }
  }

  void read_subgraph(const Table* subgraph, const Vector<flatbuffers::Offset<Table>>* buffers,
                     Graph& graph) {
    if (const String* name = string(subgraph, subgraph_field::kName, "SubGraph.name")) {
      graph.name = name->str();
    }
    const auto* tensors = table_vector(subgraph, subgraph_field::kTensors, "SubGraph.tensors");
    const uoffset_t tensor_count = tensors != nullptr ? tensors->size() : 0;
    for (uoffset_t i = 0; i < tensor_count; ++i) {
      graph.tensors.push_back(read_tensor(element(tensors, i, "Tensor"), i, buffers));
      verifier_.EndTable();
    }
    graph.inputs = scalar_vector<int32_t>(subgraph, subgraph_field::kInputs, "SubGraph.inputs");
    graph.outputs = scalar_vector<int32_t>(subgraph, subgraph_field::kOutputs, "SubGraph.outputs");
    for (const int32_t t : graph.inputs) check_tensor_index(t, tensor_count, "subgraph input");
    for (const int32_t t : graph.outputs) check_tensor_index(t, tensor_count, "subgraph output");

    const auto* ops = table_vector(subgraph, subgraph_field::kOperators, "SubGraph.operators");
    const uoffset_t op_count = ops != nullptr ? ops->size() : 0;
    for (uoffset_t i = 0; i < op_count; ++i) {
      graph.operators.push_back(read_operator(element(ops, i, "Operator"), i, tensor_count));
      verifier_.EndTable();
    }
  }

  void check_tensor_index(int32_t index, uoffset_t count, const std::string& what) const {
    if (index < 0 || static_cast<uoffset_t>(index) >= count) {
      fail(what + " refers to tensor " + std::to_string(index) + " of " + std::to_string(count));
    }
  }

  Tensor read_tensor(const Table* t, uoffset_t index,
                     const Vector<flatbuffers::Offset<Table>>* buffers) {
    Tensor tensor;
    const std::string where = "tensor " + std::to_string(index);
    if (const String* name = string(t, tensor_field::kName, "Tensor.name")) {
      tensor.name = name->str();
    }
    tensor.shape = scalar_vector<int32_t>(t, tensor_field::kShape, "Tensor.shape");
    if (tensor.shape.size() > 8) fail(where + " has rank " + std::to_string(tensor.shape.size()));
    int64_t elements = 1;
    for (const int32_t d : tensor.shape) {
      if (d < 0) fail(where + " has a dynamic dimension (" + std::to_string(d) + ")");
      elements *= d;
      if (elements > (int64_t{1} << 31)) fail(where + " has more than 2^31 elements");
    }
    tensor.type = static_cast<TensorType>(scalar<int8_t>(t, tensor_field::kType, 0, "Tensor.type"));
    tensor.is_variable =
        scalar<uint8_t>(t, tensor_field::kIsVariable, 0, "Tensor.is_variable") != 0;
    if (const Table* sparsity = table(t, tensor_field::kSparsity, "Tensor.sparsity")) {
      (void)sparsity;
      fail(where + " is sparse (sparse tensors are not supported)");
    }
    if (const Table* q = table(t, tensor_field::kQuantization, "Tensor.quantization")) {
      tensor.quantization.scale =
          scalar_vector<float>(q, quantization_field::kScale, "QuantizationParameters.scale");
      tensor.quantization.zero_point = scalar_vector<int64_t>(q, quantization_field::kZeroPoint,
                                                              "QuantizationParameters.zero_point");
      tensor.quantization.quantized_dimension = scalar<int32_t>(
          q, quantization_field::kQuantizedDimension, 0, "QuantizationParameters.dimension");
      if (scalar<uint8_t>(q, quantization_field::kDetailsType, 0,
                          "QuantizationParameters.details") != 0) {
        fail(where + " uses custom quantization details (not supported)");
      }
      verifier_.EndTable();
    }

    const auto buffer_index = scalar<uint32_t>(t, tensor_field::kBuffer, 0, "Tensor.buffer");
    const uoffset_t buffer_count = buffers != nullptr ? buffers->size() : 0;
    if (buffer_index != 0 || buffer_count != 0) {
      if (buffer_index >= buffer_count) {
        fail(where + " refers to buffer " + std::to_string(buffer_index) + " of " +
             std::to_string(buffer_count));
      }
      const Table* buffer = element(buffers, buffer_index, "Buffer");
      read_buffer_data(buffer, where, tensor.data);
      verifier_.EndTable();
      tensor.is_constant = !tensor.data.empty();
    }
    return tensor;
  }

  void read_buffer_data(const Table* buffer, const std::string& where, std::vector<uint8_t>& out) {
    if (const auto* data = vector<uint8_t>(buffer, buffer_field::kData, "Buffer.data")) {
      out.assign(data->begin(), data->end());
      return;
    }
    const auto offset = scalar<uint64_t>(buffer, buffer_field::kOffset, 0, "Buffer.offset");
    const auto size = scalar<uint64_t>(buffer, buffer_field::kSize, 0, "Buffer.size");
    if (offset <= 1) return;  // 0: no data; 1: a placeholder the converter writes
    if (offset > bytes_.size() || size > bytes_.size() - offset) {
      fail(where + ": buffer data at offset " + std::to_string(offset) + " size " +
           std::to_string(size) + " lies outside the file");
    }
    out.assign(bytes_.begin() + static_cast<std::ptrdiff_t>(offset),
               bytes_.begin() + static_cast<std::ptrdiff_t>(offset + size));
  }

  Operator read_operator(const Table* t, uoffset_t index, uoffset_t tensor_count) {
    Operator op;
    const std::string where = "operator " + std::to_string(index);
    const auto opcode = scalar<uint32_t>(t, operator_field::kOpcodeIndex, 0, "Operator.opcode");
    if (opcode >= codes_.size()) {
      fail(where + " refers to operator code " + std::to_string(opcode) + " of " +
           std::to_string(codes_.size()));
    }
    op.builtin_code = codes_[opcode];
    op.custom_code = custom_codes_[opcode];
    op.inputs = scalar_vector<int32_t>(t, operator_field::kInputs, "Operator.inputs");
    op.outputs = scalar_vector<int32_t>(t, operator_field::kOutputs, "Operator.outputs");
    for (const int32_t i : op.inputs) {
      if (i != -1) check_tensor_index(i, tensor_count, where + " (" + op.kind() + ") input");
    }
    for (const int32_t o : op.outputs) {
      check_tensor_index(o, tensor_count, where + " (" + op.kind() + ") output");
    }
    const auto type =
        scalar<uint8_t>(t, operator_field::kBuiltinOptionsType, 0, "Operator.builtin_options_type");
    const Table* options = table(t, operator_field::kBuiltinOptions, "Operator.builtin_options");
    if (options != nullptr) {
      read_options(op, type, options, where);
      verifier_.EndTable();
    }
    return op;
  }

  // Reads the options table of the supported operators; others keep their defaults (lowering
  // rejects those operators anyway).
  void read_options(Operator& op, uint8_t type, const Table* t, const std::string& where) {
    OperatorOptions& o = op.options;
    auto expect = [&](uint8_t wanted) {
      if (type != wanted) {
        fail(where + " (" + op.kind() + ") has builtin options of union type " +
             std::to_string(type) + ", expected " + std::to_string(wanted));
      }
      o.has_builtin_options = true;
    };
    auto activation = [&](voffset_t field) {
      return static_cast<Activation>(scalar<int8_t>(t, field, 0, "fused_activation_function"));
    };
    switch (op.builtin_code) {
      case builtin::kConv2D:
        expect(options_type::kConv2D);
        o.padding = static_cast<Padding>(scalar<int8_t>(t, slot(0), 0, "Conv2DOptions.padding"));
        o.stride_w = scalar<int32_t>(t, slot(1), 0, "Conv2DOptions.stride_w");
        o.stride_h = scalar<int32_t>(t, slot(2), 0, "Conv2DOptions.stride_h");
        o.activation = activation(slot(3));
        o.dilation_w = scalar<int32_t>(t, slot(4), 1, "Conv2DOptions.dilation_w_factor");
        o.dilation_h = scalar<int32_t>(t, slot(5), 1, "Conv2DOptions.dilation_h_factor");
        break;
      case builtin::kDepthwiseConv2D:
        expect(options_type::kDepthwiseConv2D);
        o.padding = static_cast<Padding>(scalar<int8_t>(t, slot(0), 0, "DepthwiseOptions.padding"));
        o.stride_w = scalar<int32_t>(t, slot(1), 0, "DepthwiseConv2DOptions.stride_w");
        o.stride_h = scalar<int32_t>(t, slot(2), 0, "DepthwiseConv2DOptions.stride_h");
        o.depth_multiplier = scalar<int32_t>(t, slot(3), 0, "DepthwiseConv2DOptions.multiplier");
        o.activation = activation(slot(4));
        o.dilation_w = scalar<int32_t>(t, slot(5), 1, "DepthwiseConv2DOptions.dilation_w");
        o.dilation_h = scalar<int32_t>(t, slot(6), 1, "DepthwiseConv2DOptions.dilation_h");
        break;
      case builtin::kAveragePool2D:
      case builtin::kMaxPool2D:
        expect(options_type::kPool2D);
        o.padding = static_cast<Padding>(scalar<int8_t>(t, slot(0), 0, "Pool2DOptions.padding"));
        o.stride_w = scalar<int32_t>(t, slot(1), 0, "Pool2DOptions.stride_w");
        o.stride_h = scalar<int32_t>(t, slot(2), 0, "Pool2DOptions.stride_h");
        o.filter_w = scalar<int32_t>(t, slot(3), 0, "Pool2DOptions.filter_width");
        o.filter_h = scalar<int32_t>(t, slot(4), 0, "Pool2DOptions.filter_height");
        o.activation = activation(slot(5));
        break;
      case builtin::kFullyConnected:
        expect(options_type::kFullyConnected);
        o.activation = activation(slot(0));
        o.weights_format = scalar<int8_t>(t, slot(1), 0, "FullyConnectedOptions.weights_format");
        o.keep_num_dims = scalar<uint8_t>(t, slot(2), 0, "FullyConnectedOptions.keep_num_dims");
        break;
      case builtin::kSoftmax:
        expect(options_type::kSoftmax);
        o.beta = scalar<float>(t, slot(0), 0.0f, "SoftmaxOptions.beta");
        break;
      case builtin::kAdd:
        expect(options_type::kAdd);
        o.activation = activation(slot(0));
        break;
      case builtin::kReshape:
        expect(options_type::kReshape);  // new_shape duplicates the output tensor's shape
        break;
      default:
        break;
    }
  }

  std::span<const uint8_t> bytes_;
  flatbuffers::Verifier verifier_;
  std::vector<int32_t> codes_;
  std::vector<std::string> custom_codes_;
};

}  // namespace

Graph read_tflite(std::span<const uint8_t> bytes) {
  if (bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    throw ImportError("invalid TFLite file: larger than 2 GiB");
  }
  // The verifier checks offsets for alignment relative to the buffer start and the accessors
  // read scalars in place: work on an aligned copy.
  std::vector<uint8_t> aligned(bytes.begin(), bytes.end());
  Reader reader(aligned);
  return reader.read();
}

Graph read_tflite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImportError("cannot open '" + path + "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) throw ImportError("cannot read '" + path + "'");
  try {
    return read_tflite(bytes);
  } catch (const ImportError& e) {
    throw ImportError(path + ": " + e.what());
  }
}

}  // namespace tinysim::importer
