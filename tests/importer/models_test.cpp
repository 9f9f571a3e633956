// The bundled models end to end: the generated C, compiled for the host with the portable and the
// emulated-DSP kernels (<name>-host, <name>-host-dsp), against the TFLite interpreter's outputs in
// models/reference-outputs.json, for every seed; and the firmware run in tinysim against the host
// output, byte for byte.
//
// Each test prints the largest difference per model.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "tests/importer/model_files.h"
#include "tests/importer/reference_interpreter.h"
#include "workloads/importer/lowering.h"
#include "workloads/importer/tflite_reader.h"

namespace tinysim::importer {
namespace {

using testing::bundled_models;
using testing::model_path;
using testing::model_symbol;

struct ReferenceRun {
  uint32_t seed;
  std::vector<int> output;
};

const std::map<std::string, std::vector<ReferenceRun>>& reference_runs() {
  static const std::map<std::string, std::vector<ReferenceRun>> runs = [] {
    std::ifstream in(testing::reference_outputs_path());
    const nlohmann::json json = nlohmann::json::parse(in);
    std::map<std::string, std::vector<ReferenceRun>> result;
    for (const auto& [model, entry] : json.at("models").items()) {
      for (const auto& run : entry.at("runs")) {
        result[model].push_back(
            {run.at("seed").get<uint32_t>(), run.at("output").get<std::vector<int>>()});
      }
    }
    return result;
  }();
  return runs;
}

// Runs `command`; returns its standard output (empty on failure).
std::string run_command(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return {};
  std::string out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, n);
  return out;
}

// The values of the program's "output: ..." line.
std::vector<int> parse_output(const std::string& text) {
  std::vector<int> values;
  const size_t at = text.find("output:");
  if (at == std::string::npos) return values;
  std::istringstream in(text.substr(at + 7, text.find('\n', at) - at - 7));
  for (int v; in >> v;) values.push_back(v);
  return values;
}

int max_difference(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.size() != b.size()) return 256;
  int worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

std::vector<int> host_output(const std::string& model, const std::string& flavour, uint32_t seed) {
  const std::string program =
      std::string(TINYSIM_HOST_MODELS_DIR) + "/" + model_symbol(model) + "-" + flavour;
  return parse_output(run_command(program + " " + std::to_string(seed)));
}

TEST(Models, HostBuildsMatchTheTfliteInterpreter) {
  std::string report = "largest difference from reference-outputs.json (portable / DSP):\n";
  for (const std::string& model : bundled_models()) {
    int worst_portable = 0;
    int worst_dsp = 0;
    for (const ReferenceRun& run : reference_runs().at(model)) {
      SCOPED_TRACE(model + " seed " + std::to_string(run.seed));
      const std::vector<int> portable = host_output(model, "host", run.seed);
      const std::vector<int> dsp = host_output(model, "host-dsp", run.seed);
      ASSERT_EQ(portable.size(), run.output.size()) << "no output from " << model << "-host";
      EXPECT_EQ(portable, dsp) << "portable and DSP kernels differ";
      worst_portable = std::max(worst_portable, max_difference(portable, run.output));
      worst_dsp = std::max(worst_dsp, max_difference(dsp, run.output));
    }
    report += "  " + model + ": " + std::to_string(worst_portable) + " / " +
              std::to_string(worst_dsp) + "\n";
    EXPECT_LE(worst_portable, 1) << model;
    EXPECT_LE(worst_dsp, 1) << model;
  }
  std::printf("%s", report.c_str());
}

TEST(Models, HostBuildsMatchTheReferenceInterpreter) {
  // The generated code (memory plan, emitter, kernels) computes exactly what the lowered graph
  // says, in the arithmetic the bundled models are built with: XNNPACK-style float32
  // requantisation (tinysim_nn's default; see docs/nn-kernels.md).
  for (const std::string& model : bundled_models()) {
    const Graph graph = read_tflite_file(model_path(model));
    const LoweredGraph lowered = lower(graph);
    const size_t input_size =
        static_cast<size_t>(graph.tensors[static_cast<size_t>(lowered.input)].element_count());
    for (const uint32_t seed : {1u, 2u}) {
      SCOPED_TRACE(model + " seed " + std::to_string(seed));
      const std::vector<int8_t> expected = testing::interpret(
          lowered, testing::xorshift_input(seed, input_size), testing::Requantization::kFloat32);
      const std::vector<int> host = host_output(model, "host", seed);
      EXPECT_EQ(host, std::vector<int>(expected.begin(), expected.end()));
    }
  }
}

TEST(Models, Float32RequantizationReproducesTheInterpreterExactly) {
  // What the oracle computes: TFLite's WebAssembly build runs CONV_2D, DEPTHWISE_CONV_2D and
  // FULLY_CONNECTED through XNNPACK, whose int8 requantisation is float32 (scale rounded to
  // float, product rounded half to even), not TFLite's fixed-point multiplier. With that one
  // change the lowered graph reproduces every reference output exactly.
  std::string report = "largest difference, fp32-requantising reference interpreter:\n";
  for (const std::string& model : bundled_models()) {
    const Graph graph = read_tflite_file(model_path(model));
    const LoweredGraph lowered = lower(graph);
    const size_t input_size =
        static_cast<size_t>(graph.tensors[static_cast<size_t>(lowered.input)].element_count());
    int worst = 0;
    for (const ReferenceRun& run : reference_runs().at(model)) {
      const std::vector<int8_t> input = testing::xorshift_input(run.seed, input_size);
      const std::vector<int8_t> out =
          testing::interpret(lowered, input, testing::Requantization::kFloat32);
      worst = std::max(worst, max_difference(std::vector<int>(out.begin(), out.end()), run.output));
      // The same without floating point, as cores without an FPU would compute it.
      EXPECT_EQ(testing::interpret(lowered, input, testing::Requantization::kFloat32Integer), out)
          << model << " seed " << run.seed;
    }
    report += "  " + model + ": " + std::to_string(worst) + "\n";
    EXPECT_EQ(worst, 0) << model;
  }
  std::printf("%s", report.c_str());
}

TEST(ReferenceInterpreter, IntegerFloat32RequantizationIsExact) {
  std::mt19937 random(9);
  std::uniform_int_distribution<int32_t> acc(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> small_acc(-100000, 100000);
  std::uniform_real_distribution<float> exponent(-40.0f, 4.0f);
  for (int i = 0; i < 1000000; ++i) {
    const int32_t a = (i % 2 == 0) ? acc(random) : small_acc(random);
    const float scale = std::exp2(exponent(random));
    const float product = static_cast<float>(a) * scale;
    if (!(std::fabs(product) < 2.0e9f)) continue;  // beyond int32: saturation, not compared
    int32_t significand = 0;
    int32_t e = 0;
    testing::float_parts(scale, &significand, &e);
    ASSERT_EQ(testing::requantize_float32_integer(a, significand, e),
              static_cast<int32_t>(std::nearbyint(product)))
        << a << " * " << scale;
  }
  // Ties go to even, as the FPU's default rounding does.
  int32_t significand = 0;
  int32_t e = 0;
  testing::float_parts(0.5f, &significand, &e);
  EXPECT_EQ(testing::requantize_float32_integer(5, significand, e), 2);
  EXPECT_EQ(testing::requantize_float32_integer(7, significand, e), 4);
  EXPECT_EQ(testing::requantize_float32_integer(-5, significand, e), -2);
}

#if defined(TINYSIM_CLI) && defined(TINYSIM_FIRMWARE_DIR)
TEST(Models, SimulatedFirmwareMatchesTheHostBuild) {
  struct Variant {
    const char* core;
    const char* board;
  };
  // Each variant on a board with its core; the Cortex-M0/M0+/M3 builds run on the nRF52840 (a
  // Cortex-M4 executes their instruction set) because the catalog's M0/M3 boards lack the RAM.
  const Variant variants[] = {{"cortex-m0", "nrf52840-dk"},       {"cortex-m0plus", "nrf52840-dk"},
                              {"cortex-m3", "nrf52840-dk"},       {"cortex-m4f", "nrf52840-dk"},
                              {"cortex-m7f", "stm32f746g-disco"}, {"cortex-m33f", "nrf5340-dk"}};
  const uint32_t seed = 3;
  for (const std::string& model : bundled_models()) {
    const std::vector<int> host = host_output(model, "host", seed);
    ASSERT_FALSE(host.empty()) << model;
    for (const Variant& v : variants) {
      SCOPED_TRACE(model + " on " + v.core);
      const std::string elf =
          std::string(TINYSIM_FIRMWARE_DIR) + "/" + model_symbol(model) + "-" + v.core + ".elf";
      const std::string command = std::string(TINYSIM_CLI) + " run -q -b " + v.board + " " + elf +
                                  " -- " + std::to_string(seed) + " 2>&1";
      const std::string text = run_command(command);
      EXPECT_EQ(parse_output(text), host) << text.substr(0, 400);
    }
  }
}
#endif

}  // namespace
}  // namespace tinysim::importer
