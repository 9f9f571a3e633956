#include "workloads/importer/lowering.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

#include "workloads/importer/import_error.h"

namespace tinysim::importer {
namespace {

std::string join_shape(const std::vector<int32_t>& shape) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? "," : "") << shape[i];
  out << "]";
  return out.str();
}

class Lowering {
 public:
  explicit Lowering(const Graph& graph) : graph_(graph) {}

  LoweredGraph run() {
    LoweredGraph lowered;
    lowered.graph = &graph_;
    if (graph_.operators.empty()) throw ImportError("the model has no operators");
    if (graph_.inputs.size() != 1 || graph_.outputs.size() != 1) {
      throw ImportError("the model has " + std::to_string(graph_.inputs.size()) + " inputs and " +
                        std::to_string(graph_.outputs.size()) +
                        " outputs; only models with one input and one output are supported");
    }
    lowered.input = graph_.inputs[0];
    lowered.output = graph_.outputs[0];
    check_graph_io(lowered.input, "input");
    check_graph_io(lowered.output, "output");

    defined_.assign(graph_.tensors.size(), false);
    defined_[static_cast<size_t>(lowered.input)] = true;
    for (size_t i = 0; i < graph_.operators.size(); ++i) {
      index_ = i;
      lowered.calls.push_back(lower_op(graph_.operators[i]));
    }
    if (!defined_[static_cast<size_t>(lowered.output)]) {
      throw ImportError("the model output " + describe_tensor(graph_, lowered.output) +
                        " is not produced by any operator");
    }

    std::set<int32_t> constants;
    for (const KernelCall& call : lowered.calls) {
      lowered.total_macs += call.macs;
      for (const int32_t t : {call.filter, call.bias}) {
        if (t >= 0 && constants.insert(t).second) {
          lowered.weight_bytes += static_cast<uint64_t>(tensor(t).byte_size());
        }
      }
      lowered.weight_bytes += 2 * sizeof(int32_t) * call.multipliers.size();
    }
    return lowered;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ImportError(describe_operator(graph_, index_) + ": " + what);
  }

  const Tensor& tensor(int32_t index) const { return graph_.tensors[static_cast<size_t>(index)]; }

  void check_graph_io(int32_t index, const char* what) const {
    const Tensor& t = tensor(index);
    if (t.type != TensorType::kInt8) {
      throw ImportError(std::string("the model ") + what + " " + describe_tensor(graph_, index) +
                        " is " + tensor_type_name(t.type) + "; only int8 models are supported" +
                        " (quantise the model fully to int8, inputs and outputs included)");
    }
    if (t.is_constant) {
      throw ImportError(std::string("the model ") + what + " " + describe_tensor(graph_, index) +
                        " is a constant");
    }
  }

  // An int8 activation (computed at run time) with per-tensor quantisation.
  void check_activation(int32_t index, const char* role) const {
    if (index < 0) fail(std::string("missing ") + role + " tensor");
    const Tensor& t = tensor(index);
    const std::string what = std::string(role) + " " + describe_tensor(graph_, index);
    if (t.type != TensorType::kInt8) {
      fail(what + " has dtype " + tensor_type_name(t.type) + " (only INT8 is supported)");
    }
    if (t.is_constant) fail(what + " is a constant (only computed tensors are supported here)");
    if (t.is_variable) fail(what + " is a variable tensor (not supported)");
    if (t.quantization.scale.size() != 1 || t.quantization.zero_point.size() != 1) {
      fail(what + " needs per-tensor quantisation (one scale and zero point), has " +
           std::to_string(t.quantization.scale.size()) + " scales");
    }
    const float scale = t.quantization.scale[0];
    if (!(scale > 0.0f) || !std::isfinite(scale)) fail(what + " has an invalid scale");
    const int64_t zp = t.quantization.zero_point[0];
    if (zp < -128 || zp > 127) fail(what + " has zero point " + std::to_string(zp));
  }

  void check_input_defined(int32_t index, const char* role) const {
    if (!defined_[static_cast<size_t>(index)]) {
      fail(std::string(role) + " " + describe_tensor(graph_, index) +
           " is not the model input and not computed by an earlier operator");
    }
  }

  void define_output(int32_t index) {
    if (defined_[static_cast<size_t>(index)]) {
      fail("output " + describe_tensor(graph_, index) + " is written twice (or is the input)");
    }
    defined_[static_cast<size_t>(index)] = true;
  }

  float scale(int32_t index) const { return tensor(index).quantization.scale[0]; }
  int32_t zero_point(int32_t index) const {
    return static_cast<int32_t>(tensor(index).quantization.zero_point[0]);
  }

  Shape4 shape4(int32_t index, const char* role) const {
    const auto& s = tensor(index).shape;
    if (s.size() != 4) {
      fail(std::string(role) + " " + describe_tensor(graph_, index) + " must have rank 4 (NHWC)");
    }
    Shape4 shape{s[0], s[1], s[2], s[3]};
    if (shape.elements() == 0)
      fail(std::string(role) + " " + describe_tensor(graph_, index) + " is empty");
    return shape;
  }

  // Constant int8 weights with zero points 0 and `channels` (or one) positive scales.
  void check_weights(int32_t index, int32_t channels, int32_t channel_axis) const {
    if (index < 0) fail("missing weights tensor");
    const Tensor& t = tensor(index);
    const std::string what = "weights " + describe_tensor(graph_, index);
    if (t.type != TensorType::kInt8) {
      fail(what + " have dtype " + tensor_type_name(t.type) + " (only INT8 weights are supported)");
    }
    if (!t.is_constant) fail(what + " are not constant (computed weights are not supported)");
    if (static_cast<int64_t>(t.data.size()) != t.byte_size()) {
      fail(what + " hold " + std::to_string(t.data.size()) + " bytes, expected " +
           std::to_string(t.byte_size()));
    }
    const auto& q = t.quantization;
    if (q.scale.size() != 1 && q.scale.size() != static_cast<size_t>(channels)) {
      fail(what + " have " + std::to_string(q.scale.size()) + " scales for " +
           std::to_string(channels) + " output channels");
    }
    if (q.scale.size() > 1 && q.quantized_dimension != channel_axis) {
      fail(what + " are quantised along axis " + std::to_string(q.quantized_dimension) +
           ", expected axis " + std::to_string(channel_axis));
    }
    for (const float s : q.scale) {
      if (!(s > 0.0f) || !std::isfinite(s)) fail(what + " have an invalid scale");
    }
    for (const int64_t zp : q.zero_point) {
      if (zp != 0) fail(what + " have a non-zero zero point (asymmetric weights not supported)");
    }
  }

  void check_bias(int32_t index, int32_t channels) const {
    if (index < 0) return;
    const Tensor& t = tensor(index);
    const std::string what = "bias " + describe_tensor(graph_, index);
    if (t.type != TensorType::kInt32) {
      fail(what + " has dtype " + tensor_type_name(t.type) + " (only INT32 biases are supported)");
    }
    if (!t.is_constant) fail(what + " is not constant");
    if (t.element_count() != channels) {
      fail(what + " has " + std::to_string(t.element_count()) + " elements for " +
           std::to_string(channels) + " output channels");
    }
    if (static_cast<int64_t>(t.data.size()) != t.byte_size()) fail(what + " has truncated data");
  }

  void check_single_output(const Operator& op) const {
    if (op.outputs.size() != 1) {
      fail("has " + std::to_string(op.outputs.size()) + " outputs (expected 1)");
    }
  }

  int32_t input_at(const Operator& op, size_t i) const {
    return i < op.inputs.size() ? op.inputs[i] : -1;
  }

  void check_geometry(const OperatorOptions& o) const {
    if (o.stride_h < 1 || o.stride_w < 1) {
      fail("stride " + std::to_string(o.stride_h) + "x" + std::to_string(o.stride_w) +
           " is not supported (must be >= 1)");
    }
    if (o.dilation_h < 1 || o.dilation_w < 1) {
      fail("dilation " + std::to_string(o.dilation_h) + "x" + std::to_string(o.dilation_w) +
           " is not supported (must be >= 1)");
    }
    if (o.padding != Padding::kSame && o.padding != Padding::kValid) {
      fail("padding type " + std::to_string(static_cast<int>(o.padding)) + " is not supported");
    }
  }

  ActivationRange activation(const Operator& op, int32_t output) const {
    const Activation a = op.options.activation;
    if (a != Activation::kNone && a != Activation::kRelu && a != Activation::kRelu6 &&
        a != Activation::kReluN1To1) {
      fail("fused activation " + activation_name(a) + " is not supported");
    }
    return activation_range_int8(a, scale(output), zero_point(output));
  }

  void set_spatial(KernelCall& call, const OperatorOptions& o, int32_t filter_h,
                   int32_t filter_w) const {
    call.stride_h = o.stride_h;
    call.stride_w = o.stride_w;
    call.dilation_h = o.dilation_h;
    call.dilation_w = o.dilation_w;
    const int32_t oh = output_size(o.padding, call.in_shape.h, filter_h, o.stride_h, o.dilation_h);
    const int32_t ow = output_size(o.padding, call.in_shape.w, filter_w, o.stride_w, o.dilation_w);
    if (oh != call.out_shape.h || ow != call.out_shape.w) {
      fail("output is " + std::to_string(call.out_shape.h) + "x" +
           std::to_string(call.out_shape.w) + " but the input, window, stride and padding give " +
           std::to_string(oh) + "x" + std::to_string(ow));
    }
    if (call.in_shape.n != call.out_shape.n) fail("input and output batch differ");
    call.pad_h = padding_before(call.in_shape.h, filter_h, o.stride_h, o.dilation_h, oh);
    call.pad_w = padding_before(call.in_shape.w, filter_w, o.stride_w, o.dilation_w, ow);
  }

  // Per-output-channel multipliers: input_scale * weight_scale[c] / output_scale.
  void set_channel_quant(KernelCall& call, int32_t channels) const {
    const auto& wscale = tensor(call.filter).quantization.scale;
    const double in_scale = scale(call.input);
    const double out_scale = scale(call.output);
    for (int32_t c = 0; c < channels; ++c) {
      const double w = wscale.size() == 1 ? wscale[0] : wscale[static_cast<size_t>(c)];
      const QuantizedMultiplier q = quantize_multiplier(in_scale * w / out_scale);
      call.multipliers.push_back(q.multiplier);
      call.shifts.push_back(q.shift);
    }
    call.input_offset = -zero_point(call.input);
    call.output_offset = zero_point(call.output);
  }

  KernelCall begin(const Operator& op, KernelKind kind) const {
    KernelCall call;
    call.op_index = index_;
    call.kind = kind;
    call.builtin_name = op.kind();
    return call;
  }

  KernelCall lower_op(const Operator& op) {
    KernelCall call;
    switch (op.builtin_code) {
      case builtin::kConv2D:
        call = conv(op);
        break;
      case builtin::kDepthwiseConv2D:
        call = depthwise(op);
        break;
      case builtin::kFullyConnected:
        call = fully_connected(op);
        break;
      case builtin::kAveragePool2D:
        call = pool(op, KernelKind::kAveragePool2D);
        break;
      case builtin::kMaxPool2D:
        call = pool(op, KernelKind::kMaxPool2D);
        break;
      case builtin::kAdd:
        call = add(op);
        break;
      case builtin::kSoftmax:
        call = softmax(op);
        break;
      case builtin::kReshape:
        call = reshape(op);
        break;
      default:
        fail(
            "operator not supported (supported: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, "
            "AVERAGE_POOL_2D, MAX_POOL_2D, ADD, SOFTMAX, RESHAPE)");
    }
    call.name = display_name(call);
    define_output(call.output);
    return call;
  }

  void common_io(const Operator& op, KernelCall& call, size_t min_inputs) {
    if (op.inputs.size() < min_inputs) {
      fail("has " + std::to_string(op.inputs.size()) + " inputs (expected at least " +
           std::to_string(min_inputs) + ")");
    }
    check_single_output(op);
    call.input = op.inputs[0];
    call.output = op.outputs[0];
    check_activation(call.input, "input");
    check_input_defined(call.input, "input");
    check_activation(call.output, "output");
  }

  KernelCall conv(const Operator& op) {
    KernelCall call = begin(op, KernelKind::kConv2D);
    common_io(op, call, 2);
    call.filter = op.inputs[1];
    call.bias = input_at(op, 2);
    call.in_shape = shape4(call.input, "input");
    call.out_shape = shape4(call.output, "output");
    call.filter_shape = shape4(call.filter, "weights");
    const Shape4& f = call.filter_shape;
    check_weights(call.filter, call.out_shape.c, 0);
    check_bias(call.bias, call.out_shape.c);
    if (f.n != call.out_shape.c)
      fail("weights have " + std::to_string(f.n) + " filters for " +
           std::to_string(call.out_shape.c) + " output channels");
    if (f.c != call.in_shape.c) {
      fail("weights have " + std::to_string(f.c) + " input channels, input has " +
           std::to_string(call.in_shape.c) + " (grouped convolution is not supported)");
    }
    check_geometry(op.options);
    set_spatial(call, op.options, f.h, f.w);
    set_channel_quant(call, call.out_shape.c);
    call.act = activation(op, call.output);
    call.macs = static_cast<uint64_t>(call.out_shape.elements()) * f.h * f.w * f.c;
    return call;
  }

  KernelCall depthwise(const Operator& op) {
    KernelCall call = begin(op, KernelKind::kDepthwiseConv2D);
    common_io(op, call, 2);
    call.filter = op.inputs[1];
    call.bias = input_at(op, 2);
    call.in_shape = shape4(call.input, "input");
    call.out_shape = shape4(call.output, "output");
    call.filter_shape = shape4(call.filter, "weights");
    const Shape4& f = call.filter_shape;
    check_weights(call.filter, call.out_shape.c, 3);
    check_bias(call.bias, call.out_shape.c);
    if (f.n != 1 || f.c != call.out_shape.c) {
      fail("weights " + describe_tensor(graph_, call.filter) + " must be [1,kh,kw," +
           std::to_string(call.out_shape.c) + "]");
    }
    if (call.out_shape.c % call.in_shape.c != 0) {
      fail("output channels " + std::to_string(call.out_shape.c) +
           " are not a multiple of the input channels " + std::to_string(call.in_shape.c));
    }
    // The shapes decide the channel multiplier (some converters leave the option at 0).
    call.depth_multiplier = call.out_shape.c / call.in_shape.c;
    if (op.options.depth_multiplier != 0 && op.options.depth_multiplier != call.depth_multiplier) {
      fail("depth_multiplier option " + std::to_string(op.options.depth_multiplier) +
           " does not match the shapes (" + std::to_string(call.depth_multiplier) + ")");
    }
    check_geometry(op.options);
    set_spatial(call, op.options, f.h, f.w);
    set_channel_quant(call, call.out_shape.c);
    call.act = activation(op, call.output);
    call.macs = static_cast<uint64_t>(call.out_shape.elements()) * f.h * f.w;
    return call;
  }

  KernelCall fully_connected(const Operator& op) {
    KernelCall call = begin(op, KernelKind::kFullyConnected);
    common_io(op, call, 2);
    call.filter = op.inputs[1];
    call.bias = input_at(op, 2);
    if (op.options.weights_format != 0) fail("shuffled weights format is not supported");
    const Tensor& w = tensor(call.filter);
    if (w.shape.size() != 2) {
      fail("weights " + describe_tensor(graph_, call.filter) + " must have rank 2");
    }
    call.out_depth = w.shape[0];
    call.in_depth = w.shape[1];
    if (call.in_depth <= 0 || call.out_depth <= 0) fail("weights are empty");
    check_weights(call.filter, call.out_depth, 0);
    check_bias(call.bias, call.out_depth);
    const int64_t in_elements = tensor(call.input).element_count();
    if (in_elements % call.in_depth != 0) {
      fail("input " + describe_tensor(graph_, call.input) + " is not a multiple of the weights' " +
           std::to_string(call.in_depth) + " inputs");
    }
    call.batches = static_cast<int32_t>(in_elements / call.in_depth);
    const int64_t out_elements = tensor(call.output).element_count();
    if (out_elements != int64_t{call.batches} * call.out_depth) {
      fail("output " + describe_tensor(graph_, call.output) + " should have " +
           std::to_string(int64_t{call.batches} * call.out_depth) + " elements");
    }
    set_channel_quant(call, call.out_depth);
    call.act = activation(op, call.output);
    call.macs = static_cast<uint64_t>(call.batches) * call.in_depth * call.out_depth;
    return call;
  }

  KernelCall pool(const Operator& op, KernelKind kind) {
    KernelCall call = begin(op, kind);
    common_io(op, call, 1);
    call.in_shape = shape4(call.input, "input");
    call.out_shape = shape4(call.output, "output");
    if (call.in_shape.c != call.out_shape.c) fail("input and output channels differ");
    if (scale(call.input) != scale(call.output) ||
        zero_point(call.input) != zero_point(call.output)) {
      fail("input and output quantisation differ (requantising pooling is not supported)");
    }
    const OperatorOptions& o = op.options;
    if (o.filter_h < 1 || o.filter_w < 1) fail("pooling window must be at least 1x1");
    check_geometry(o);
    set_spatial(call, o, o.filter_h, o.filter_w);
    call.pool_h = o.filter_h;
    call.pool_w = o.filter_w;
    call.act = activation(op, call.output);
    return call;
  }

  KernelCall add(const Operator& op) {
    KernelCall call = begin(op, KernelKind::kAdd);
    common_io(op, call, 2);
    if (op.inputs.size() != 2) fail("expected 2 inputs");
    call.input2 = op.inputs[1];
    check_activation(call.input2, "second input");
    check_input_defined(call.input2, "second input");
    const auto& s1 = tensor(call.input).shape;
    if (s1 != tensor(call.input2).shape || s1 != tensor(call.output).shape) {
      fail("inputs " + join_shape(s1) + " and " + join_shape(tensor(call.input2).shape) +
           " and output " + join_shape(tensor(call.output).shape) +
           " differ (broadcasting is not supported)");
    }
    call.size = tensor(call.output).element_count();
    call.add = add_quantization(scale(call.input), scale(call.input2), scale(call.output));
    call.input_offset = -zero_point(call.input);
    call.input2_offset = -zero_point(call.input2);
    call.output_offset = zero_point(call.output);
    call.act = activation(op, call.output);
    return call;
  }

  KernelCall softmax(const Operator& op) {
    KernelCall call = begin(op, KernelKind::kSoftmax);
    common_io(op, call, 1);
    const auto& in = tensor(call.input).shape;
    if (in.empty()) fail("input must have rank >= 1");
    if (in != tensor(call.output).shape) fail("input and output shapes differ");
    call.depth = in.back();
    if (call.depth <= 0) fail("input is empty");
    call.size = tensor(call.input).element_count();
    call.outer = static_cast<int32_t>(call.size / call.depth);
    // TFLite's int8 softmax writes probabilities with scale 1/256 and zero point -128.
    if (std::fabs(scale(call.output) - 1.0f / 256) > 0.001f / 256 ||
        zero_point(call.output) != -128) {
      fail("output quantisation must be scale 1/256, zero point -128");
    }
    if (!(op.options.beta > 0.0f)) fail("beta must be positive");
    call.softmax = softmax_quantization(op.options.beta, scale(call.input));
    return call;
  }

  KernelCall reshape(const Operator& op) {
    KernelCall call = begin(op, KernelKind::kReshape);
    common_io(op, call, 1);
    call.size = tensor(call.input).element_count();
    if (call.size != tensor(call.output).element_count()) {
      fail("input " + describe_tensor(graph_, call.input) + " and output " +
           describe_tensor(graph_, call.output) + " have different element counts");
    }
    if (scale(call.input) != scale(call.output) ||
        zero_point(call.input) != zero_point(call.output)) {
      fail("input and output quantisation differ");
    }
    return call;
  }

  // "conv_2d_3": the lower-case builtin name and the operator index, which fits the marker
  // table's 40 characters and stays unique within the model.
  static std::string display_name(const KernelCall& call) {
    std::string name = call.builtin_name;
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    name += "_" + std::to_string(call.op_index);
    if (name.size() > 39) name.resize(39);
    return name;
  }

  const Graph& graph_;
  size_t index_ = 0;
  std::vector<bool> defined_;
};

}  // namespace

LoweredGraph lower(const Graph& graph) {
  return Lowering(graph).run();
}

}  // namespace tinysim::importer
