// Operator attribution without markers: the built-in rules (CMSIS-NN, TensorFlow Lite Micro by
// demangled name and source file, tinysim's kernels), user rules from TOML, and the prof-rules
// firmware (workloads/firmware/profiler_tests/rules.c).
#include <gtest/gtest.h>

#include <fstream>

#include "profiler/rules.h"
#include "profiler_test_util.h"

namespace tinysim::profiler {
namespace {

using testing::cycles;
using testing::profile_firmware;

FunctionInfo fn(const std::string& name, const std::string& file = "") {
  FunctionInfo f;
  f.name = name;
  f.demangled = demangle_without_parameters(name);
  f.source_file = file;
  return f;
}

std::string kind_of(const RuleSet& rules, const FunctionInfo& f) {
  const int i = rules.match(f);
  if (i < 0) return "";
  const Rule& r = rules.rules()[size_t(i)];
  return r.action == RuleAction::kInference ? "inference" : r.kind;
}

TEST(Rules, CmsisNnKernels) {
  const RuleSet rules = RuleSet::builtin();
  EXPECT_EQ(kind_of(rules, fn("arm_convolve_s8")), "CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("arm_convolve_1x1_s8_fast")), "CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("arm_convolve_wrapper_s8")), "CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("arm_depthwise_conv_s8")), "DEPTHWISE_CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("arm_depthwise_conv_3x3_s8")), "DEPTHWISE_CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("arm_fully_connected_s8")), "FULLY_CONNECTED");
  EXPECT_EQ(kind_of(rules, fn("arm_avgpool_s8")), "AVERAGE_POOL_2D");
  EXPECT_EQ(kind_of(rules, fn("arm_max_pool_s8")), "MAX_POOL_2D");
  EXPECT_EQ(kind_of(rules, fn("arm_softmax_s8")), "SOFTMAX");
  EXPECT_EQ(kind_of(rules, fn("arm_elementwise_add_s8")), "ADD");
  EXPECT_EQ(kind_of(rules, fn("arm_elementwise_mul_s8")), "MUL");
  // Helpers are not operators: they count inside the kernel that calls them.
  EXPECT_EQ(kind_of(rules, fn("arm_nn_mat_mult_kernel_s8_s16")), "");
  EXPECT_EQ(kind_of(rules, fn("arm_nn_vec_mat_mult_t_s8")), "");
}

TEST(Rules, TinysimKernels) {
  const RuleSet rules = RuleSet::builtin();
  EXPECT_EQ(kind_of(rules, fn("ts_conv2d_s8")), "CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("ts_depthwise_conv2d_s8")), "DEPTHWISE_CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("ts_fully_connected_s8")), "FULLY_CONNECTED");
  EXPECT_EQ(kind_of(rules, fn("ts_avg_pool2d_s8")), "AVERAGE_POOL_2D");
  EXPECT_EQ(kind_of(rules, fn("ts_softmax_s8")), "SOFTMAX");
  EXPECT_EQ(kind_of(rules, fn("ts_conv2d_s8_scratch_bytes")), "");
  EXPECT_EQ(kind_of(rules, fn("kws_ref_model_invoke")), "inference");
}

TEST(Rules, TensorFlowLiteMicroByDemangledNameAndFile) {
  const RuleSet rules = RuleSet::builtin();
  // tflite::(anonymous namespace)::Eval(TfLiteContext*, TfLiteNode*)
  const std::string eval = "_ZN6tflite12_GLOBAL__N_14EvalEP13TfLiteContextP10TfLiteNode";
  EXPECT_EQ(demangle_without_parameters(eval), "tflite::(anonymous namespace)::Eval");
  EXPECT_EQ(kind_of(rules, fn(eval, "tensorflow/lite/micro/kernels/conv.cc")), "CONV_2D");
  EXPECT_EQ(kind_of(rules, fn(eval, "tensorflow/lite/micro/kernels/cmsis_nn/conv.cc")), "CONV_2D");
  EXPECT_EQ(kind_of(rules, fn(eval, "tensorflow/lite/micro/kernels/depthwise_conv.cc")),
            "DEPTHWISE_CONV_2D");
  EXPECT_EQ(kind_of(rules, fn(eval, "tensorflow/lite/micro/kernels/fully_connected.cc")),
            "FULLY_CONNECTED");
  EXPECT_EQ(kind_of(rules, fn(eval, "tensorflow/lite/micro/kernels/softmax.cc")), "SOFTMAX");
  // Pooling: two Eval functions in one file.
  const std::string average = "_ZN6tflite12_GLOBAL__N_111AverageEvalEP13TfLiteContextP10TfLiteNode";
  const std::string max = "_ZN6tflite12_GLOBAL__N_17MaxEvalEP13TfLiteContextP10TfLiteNode";
  EXPECT_EQ(kind_of(rules, fn(average, "tensorflow/lite/micro/kernels/pooling.cc")),
            "AVERAGE_POOL_2D");
  EXPECT_EQ(kind_of(rules, fn(max, "tensorflow/lite/micro/kernels/pooling.cc")), "MAX_POOL_2D");
  // CMSIS-NN's EvalInt8 in kernels/cmsis_nn/conv.cc.
  const std::string eval_int8 = "_ZN6tflite12_GLOBAL__N_18EvalInt8EP13TfLiteContextP10TfLiteNode";
  EXPECT_EQ(kind_of(rules, fn(eval_int8, "tensorflow/lite/micro/kernels/cmsis_nn/conv.cc")),
            "CONV_2D");
  // Without the file the kernel cannot be told apart.
  EXPECT_EQ(kind_of(rules, fn(eval)), "");
  EXPECT_EQ(kind_of(rules, fn(eval, "tensorflow/lite/micro/micro_interpreter.cc")), "");
  // A file name must match whole: depthwise_conv.cc is not conv.cc.
  EXPECT_NE(kind_of(rules, fn(eval, "x/depthwise_conv.cc")), "CONV_2D");
  EXPECT_EQ(kind_of(rules, fn("_ZN6tflite16MicroInterpreter6InvokeEv")), "inference");
}

TEST(Rules, UserRulesFile) {
  auto rules = RuleSet::load(std::string(TINYSIM_SOURCE_DIR) + "/tests/profiler/custom_rules.toml");
  ASSERT_TRUE(rules.is_ok()) << rules.status().message();
  ASSERT_EQ(rules.value().rules().size(), 1u);
  EXPECT_EQ(kind_of(rules.value(), fn("my_custom_op", "/src/rules.c")), "CUSTOM");
  EXPECT_EQ(kind_of(rules.value(), fn("my_custom_op", "/src/other.c")), "");
  EXPECT_NE(rules.value().rules()[0].origin.find("custom_rules.toml"), std::string::npos);
}

TEST(Rules, BadRulesFilesAreRefusedWithTheReason) {
  auto expect_error = [](const std::string& text, const std::string& words) {
    auto r = RuleSet::parse(text, "bad.toml");
    ASSERT_FALSE(r.is_ok()) << text;
    EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("bad.toml"), std::string::npos);
  };
  expect_error("[[operator]]\nkind = \"X\"\nfunction = \"f\"\ncolour = \"red\"\n",
               "unknown key 'colour'");
  expect_error("[[operator]]\nkind = \"X\"\n", "missing key 'function'");
  expect_error("[[operator]]\nfunction = \"f\"\n", "missing key 'kind'");
  expect_error("[[operators]]\nkind = \"X\"\nfunction = \"f\"\n", "unknown table 'operators'");
  expect_error("[[operator]]\nkind = 3\nfunction = \"f\"\n", "must be a string");
  expect_error("[[operator]\n", "bad.toml:");  // TOML syntax error, with line:column
  expect_error("[[inference]]\nkind = \"X\"\nfunction = \"f\"\n", "unknown key 'kind'");
  EXPECT_FALSE(RuleSet::load("/no/such/rules.toml").is_ok());
}

class RulesFirmware : public ::testing::TestWithParam<const char*> {
 protected:
  static const char* board() {
    return std::string(GetParam()) == "cortex-m4f" ? "nrf52840-dk" : "nucleo-g071rb";
  }
};

TEST_P(RulesFirmware, OperatorsFromFunctionNames) {
  const auto r = profile_firmware("prof-rules", GetParam(), board());
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit);
  const Profile& p = r.profile;
  EXPECT_EQ(p.operator_source, OperatorSource::kRules);
  ASSERT_EQ(p.operators.size(), 4u);
  const char* kinds[] = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"};
  const char* functions[] = {"arm_convolve_s8", "arm_depthwise_conv_3x3_s8",
                             "arm_fully_connected_s8", "arm_softmax_s8"};
  for (size_t i = 0; i < 4; ++i) {
    const OperatorProfile& op = p.operators[i];
    EXPECT_EQ(op.index, i);
    EXPECT_EQ(op.kind, kinds[i]);
    EXPECT_EQ(op.function, functions[i]);
    EXPECT_EQ(op.invocations, 2u);  // model_invoke ran twice
    EXPECT_TRUE(op.complete);
    // The operator's cycles are its function's inclusive cycles.
    const FunctionProfile* f = testing::find_function(p, functions[i]);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(cycles(op.metrics), cycles(f->inclusive)) << op.name;
  }
  EXPECT_EQ(p.operators[0].name, "conv_2d_0");
  // The helper counts inside the convolution.
  bool helper = false;
  for (const FunctionShare& s : p.operators[0].functions) {
    helper |= s.name == "arm_nn_mat_mult_kernel_s8_s16";
  }
  EXPECT_TRUE(helper);
  // The longer loops take longer.
  EXPECT_GT(cycles(p.operators[0].metrics), cycles(p.operators[1].metrics));
  EXPECT_GT(cycles(p.operators[1].metrics), cycles(p.operators[2].metrics));
  uint64_t sum = cycles(p.outside_operators);
  for (const OperatorProfile& op : p.operators) sum += cycles(op.metrics);
  EXPECT_EQ(sum, r.result.cycles);
  EXPECT_EQ(p.timeline.operators.size(), 8u);
}

TEST_P(RulesFirmware, UserRulesAddOperators) {
  RecorderOptions options;
  auto user = RuleSet::load(std::string(TINYSIM_SOURCE_DIR) + "/tests/profiler/custom_rules.toml");
  ASSERT_TRUE(user.is_ok());
  options.rules = user.value();
  options.rules.append(RuleSet::builtin());
  const auto r = profile_firmware("prof-rules", GetParam(), board(), "", options);
  ASSERT_EQ(r.profile.operators.size(), 5u);
  EXPECT_EQ(r.profile.operators[4].kind, "CUSTOM");
  EXPECT_EQ(r.profile.operators[4].function, "my_custom_op");
  EXPECT_EQ(r.profile.operators[4].invocations, 2u);
}

TEST_P(RulesFirmware, MarkersWinOverRules) {
  // prof-calls has markers; no rule matches there anyway, and markers must be the source.
  const auto r = profile_firmware("prof-calls", GetParam(), board(), "2");
  EXPECT_EQ(r.profile.operator_source, OperatorSource::kMarkers);
}

INSTANTIATE_TEST_SUITE_P(Cores, RulesFirmware, ::testing::Values("cortex-m4f", "cortex-m0plus"),
                         [](const auto& info) {
                           return std::string(info.param) == "cortex-m4f" ? "m4f" : "m0plus";
                         });

}  // namespace
}  // namespace tinysim::profiler
