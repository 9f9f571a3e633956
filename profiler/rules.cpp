#include "profiler/rules.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

namespace tinysim::profiler {
namespace {

struct BuiltinOperator {
  const char* kind;
  const char* function;
  const char* file;
  const char* origin;
};

// CMSIS-NN function names: ARM-software/CMSIS-NN Include/arm_nnfunctions.h (s8/s16 and the
// legacy q7 API). Helpers (arm_nn_*) are not operators; they count inside the kernel calling them.
constexpr BuiltinOperator kBuiltinOperators[] = {
    // TensorFlow Lite Micro kernels: the Eval functions of tensorflow/lite/micro/kernels/*.cc
    // (and kernels/cmsis_nn/*.cc, same file names), by demangled name and DWARF source file.
    {"CONV_2D", "tflite::*Eval*", "conv.cc", "built-in (TensorFlow Lite Micro)"},
    {"DEPTHWISE_CONV_2D", "tflite::*Eval*", "depthwise_conv.cc",
     "built-in (TensorFlow Lite Micro)"},
    {"FULLY_CONNECTED", "tflite::*Eval*", "fully_connected.cc", "built-in (TensorFlow Lite Micro)"},
    {"AVERAGE_POOL_2D", "tflite::*Average*Eval*", "pooling.cc", "built-in (TensorFlow Lite Micro)"},
    {"MAX_POOL_2D", "tflite::*Max*Eval*", "pooling.cc", "built-in (TensorFlow Lite Micro)"},
    {"SOFTMAX", "tflite::*Eval*", "softmax.cc", "built-in (TensorFlow Lite Micro)"},
    {"ADD", "tflite::*Eval*", "add.cc", "built-in (TensorFlow Lite Micro)"},
    {"MUL", "tflite::*Eval*", "mul.cc", "built-in (TensorFlow Lite Micro)"},
    {"RESHAPE", "tflite::*Eval*", "reshape.cc", "built-in (TensorFlow Lite Micro)"},
    {"QUANTIZE", "tflite::*Eval*", "quantize*.cc", "built-in (TensorFlow Lite Micro)"},
    {"DEQUANTIZE", "tflite::*Eval*", "dequantize*.cc", "built-in (TensorFlow Lite Micro)"},
    {"LOGISTIC", "tflite::*Eval*", "logistic.cc", "built-in (TensorFlow Lite Micro)"},
    {"TANH", "tflite::*Eval*", "tanh.cc", "built-in (TensorFlow Lite Micro)"},
    {"CONCATENATION", "tflite::*Eval*", "concatenation.cc", "built-in (TensorFlow Lite Micro)"},
    {"PAD", "tflite::*Eval*", "pad.cc", "built-in (TensorFlow Lite Micro)"},
    {"MEAN", "tflite::*Eval*", "reduce*.cc", "built-in (TensorFlow Lite Micro)"},
    {"STRIDED_SLICE", "tflite::*Eval*", "strided_slice.cc", "built-in (TensorFlow Lite Micro)"},
    {"TRANSPOSE_CONV", "tflite::*Eval*", "transpose_conv.cc", "built-in (TensorFlow Lite Micro)"},
    {"SVDF", "tflite::*Eval*", "svdf*.cc", "built-in (TensorFlow Lite Micro)"},
    {"UNIDIRECTIONAL_SEQUENCE_LSTM", "tflite::*Eval*", "unidirectional_sequence_lstm.cc",
     "built-in (TensorFlow Lite Micro)"},
    // CMSIS-NN.
    {"CONV_2D", "arm_convolve_*", "", "built-in (CMSIS-NN)"},
    {"DEPTHWISE_CONV_2D", "arm_depthwise_*", "", "built-in (CMSIS-NN)"},
    {"FULLY_CONNECTED", "arm_fully_connected_*", "", "built-in (CMSIS-NN)"},
    {"AVERAGE_POOL_2D", "arm_avgpool_*", "", "built-in (CMSIS-NN)"},
    {"AVERAGE_POOL_2D", "arm_avepool_*", "", "built-in (CMSIS-NN)"},
    {"MAX_POOL_2D", "arm_max_pool_*", "", "built-in (CMSIS-NN)"},
    {"MAX_POOL_2D", "arm_maxpool_*", "", "built-in (CMSIS-NN)"},
    {"SOFTMAX", "arm_softmax_*", "", "built-in (CMSIS-NN)"},
    {"ADD", "arm_elementwise_add_*", "", "built-in (CMSIS-NN)"},
    {"MUL", "arm_elementwise_mul_*", "", "built-in (CMSIS-NN)"},
    {"SVDF", "arm_svdf_*", "", "built-in (CMSIS-NN)"},
    {"UNIDIRECTIONAL_SEQUENCE_LSTM", "arm_lstm_unidirectional_*", "", "built-in (CMSIS-NN)"},
    {"TRANSPOSE_CONV", "arm_transpose_conv_*", "", "built-in (CMSIS-NN)"},
    {"RELU", "arm_relu*", "", "built-in (CMSIS-NN)"},
    // tinysim's kernels (workloads/nn/include/tinysim/nn.h).
    {"CONV_2D", "ts_conv2d_s8", "", "built-in (tinysim nn)"},
    {"DEPTHWISE_CONV_2D", "ts_depthwise_conv2d_s8", "", "built-in (tinysim nn)"},
    {"FULLY_CONNECTED", "ts_fully_connected_s8", "", "built-in (tinysim nn)"},
    {"AVERAGE_POOL_2D", "ts_avg_pool2d_s8", "", "built-in (tinysim nn)"},
    {"MAX_POOL_2D", "ts_max_pool2d_s8", "", "built-in (tinysim nn)"},
    {"ADD", "ts_add_s8", "", "built-in (tinysim nn)"},
    {"SOFTMAX", "ts_softmax_s8", "", "built-in (tinysim nn)"},
};

// Functions that run one inference.
constexpr BuiltinOperator kBuiltinInferences[] = {
    {"", "tflite::MicroInterpreter::Invoke", "", "built-in (TensorFlow Lite Micro)"},
    {"", "*_invoke", "", "built-in (tinysim import)"},
};

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

}  // namespace

bool rule_matches(const Rule& rule, const FunctionInfo& function) {
  if (!glob(rule.function_glob, function.demangled) && !glob(rule.function_glob, function.name)) {
    return false;
  }
  if (rule.file_glob.empty()) return true;
  if (function.source_file.empty()) return false;
  if (rule.file_glob.find('/') != std::string::npos) {
    return glob(rule.file_glob, function.source_file);
  }
  return glob(rule.file_glob, base_name(function.source_file));
}

RuleSet RuleSet::builtin() {
  RuleSet set;
  for (const BuiltinOperator& b : kBuiltinOperators) {
    set.rules_.push_back({RuleAction::kOperator, b.kind, b.function, b.file, b.origin});
  }
  for (const BuiltinOperator& b : kBuiltinInferences) {
    set.rules_.push_back({RuleAction::kInference, "", b.function, b.file, b.origin});
  }
  return set;
}

StatusOr<RuleSet> RuleSet::load(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{}: no such rules file", path.string()));
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return Status(StatusCode::kInvalidArgument, fmt::format("{}: cannot read", path.string()));
  }
  return parse(text.str(), path.string());
}

StatusOr<RuleSet> RuleSet::parse(const std::string& text, const std::string& origin_path) {
  toml::table table;
  try {
    table = toml::parse(text, origin_path);
  } catch (const toml::parse_error& e) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{}:{}:{}: {}", origin_path, e.source().begin.line,
                              e.source().begin.column, e.description()));
  }
  const std::filesystem::path path(origin_path);
  RuleSet set;
  const std::string origin = path.filename().string();
  auto fail = [&](const std::string& what) {
    return Status(StatusCode::kInvalidArgument, fmt::format("{}: {}", path.string(), what));
  };
  for (const auto& [key, node] : table) {
    const std::string section(key.str());
    RuleAction action;
    if (section == "operator") {
      action = RuleAction::kOperator;
    } else if (section == "inference") {
      action = RuleAction::kInference;
    } else {
      return fail(
          fmt::format("unknown table '{}' (expected [[operator]] or [[inference]])", section));
    }
    const toml::array* array = node.as_array();
    if (!array)
      return fail(fmt::format("'{}' must be an array of tables: [[{}]]", section, section));
    int number = 0;
    for (const toml::node& element : *array) {
      ++number;
      const toml::table* rule_table = element.as_table();
      const std::string where = fmt::format("[[{}]] number {}", section, number);
      if (!rule_table) return fail(where + ": not a table");
      Rule rule;
      rule.action = action;
      rule.origin = fmt::format("{} {}", origin, where);
      for (const auto& [rule_key, value] : *rule_table) {
        const std::string k(rule_key.str());
        const std::optional<std::string> s = value.value<std::string>();
        if (k != "kind" && k != "function" && k != "file") {
          return fail(fmt::format(
              "{}: unknown key '{}' (known: {})", where, k,
              action == RuleAction::kOperator ? "kind, function, file" : "function, file"));
        }
        if (!s) return fail(fmt::format("{}: '{}' must be a string", where, k));
        if (k == "kind") {
          if (action != RuleAction::kOperator) {
            return fail(fmt::format("{}: unknown key 'kind' (known: function, file)", where));
          }
          rule.kind = *s;
        } else if (k == "function") {
          rule.function_glob = *s;
        } else {
          rule.file_glob = *s;
        }
      }
      if (rule.function_glob.empty()) return fail(where + ": missing key 'function'");
      if (action == RuleAction::kOperator && rule.kind.empty()) {
        return fail(where + ": missing key 'kind'");
      }
      set.rules_.push_back(std::move(rule));
    }
  }
  return set;
}

void RuleSet::append(const RuleSet& other) {
  rules_.insert(rules_.end(), other.rules_.begin(), other.rules_.end());
}

int RuleSet::match(const FunctionInfo& function) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (rule_matches(rules_[i], function)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace tinysim::profiler
