// Attribution rules: how the profiler finds the operators of a firmware that has no markers
// (TensorFlow Lite Micro, CMSIS-NN, vendor SDKs, tinysim's own kernels called by hand).
//
// An operator rule says "a call of a function whose name matches FUNCTION (and whose source
// file matches FILE) is one execution of an operator of kind KIND". The outermost matching call
// on the call stack is the operator: TFLite Micro's conv Eval calling arm_convolve_wrapper_s8
// calling arm_convolve_s8 is one CONV_2D. An inference rule names the function that runs one
// inference (TFLite Micro's MicroInterpreter::Invoke): the operators are numbered in call order
// from its start, so repeated inferences add up into the same operators.
//
// Built-in rules cover CMSIS-NN (arm_convolve_*, arm_depthwise_conv_*, arm_fully_connected_*,
// pooling, softmax, elementwise add/mul, ...), TensorFlow Lite Micro kernels (demangled
// `tflite::...Eval...` in conv.cc, depthwise_conv.cc, ...) and tinysim's kernels (ts_conv2d_s8,
// ...). User rules come from a TOML file (format in docs/profile-rules.md) and are tried first.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "profiler/firmware_info.h"
#include "sim/status.h"

namespace tinysim::profiler {

enum class RuleAction {
  kOperator,   // a call is one execution of an operator of `kind`
  kInference,  // a call starts one inference: operator numbering restarts
};

struct Rule {
  RuleAction action = RuleAction::kOperator;
  std::string kind;           // operator kind, e.g. "CONV_2D" (kOperator only)
  std::string function_glob;  // glob over the demangled name without parameters
  // Glob over the compilation unit's source file; "" matches any. Without a '/', it is matched
  // against the file's base name ("conv.cc"), else against the whole path.
  std::string file_glob;
  std::string origin;  // "built-in (CMSIS-NN)" or "rules.toml rule 3"
};

class RuleSet {
 public:
  // The built-in rules (CMSIS-NN, TensorFlow Lite Micro, tinysim nn).
  static RuleSet builtin();
  // Rules from a TOML file; kInvalidArgument naming the file, rule and key on any problem
  // (unknown keys included).
  static StatusOr<RuleSet> load(const std::filesystem::path& path);
  // Rules from TOML text (`origin` names it in messages).
  static StatusOr<RuleSet> parse(const std::string& text, const std::string& origin);

  // Appends `other`'s rules after this set's (earlier rules win).
  void append(const RuleSet& other);
  const std::vector<Rule>& rules() const { return rules_; }

  // Index of the first rule matching `function`, or -1.
  int match(const FunctionInfo& function) const;

 private:
  std::vector<Rule> rules_;
};

bool rule_matches(const Rule& rule, const FunctionInfo& function);

}  // namespace tinysim::profiler
