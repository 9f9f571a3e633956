// Where the importer tests find the bundled models and the programs built from them; the paths
// come from tests/importer/CMakeLists.txt.
#pragma once

#include <string>
#include <vector>

namespace tinysim::importer::testing {

// The bundled model files without ".tflite" (keys of reference-outputs.json).
inline const std::vector<std::string>& bundled_models() {
  static const std::vector<std::string> models = {
      "kws_ref_model",      "kws_ref_model.logits",   "vww_96_int8",
      "vww_96_int8.logits", "pretrainedResnet_quant", "pretrainedResnet_quant.logits",
      "ad01_int8"};
  return models;
}

inline std::string model_path(const std::string& model) {
  return std::string(TINYSIM_MODELS_DIR) + "/" + model + ".tflite";
}

inline std::string reference_outputs_path() {
  return std::string(TINYSIM_MODELS_DIR) + "/reference-outputs.json";
}

// "kws_ref_model.logits" -> "kws_ref_model_logits" (CMake's MAKE_C_IDENTIFIER, as the build).
inline std::string model_symbol(std::string model) {
  for (char& c : model) {
    if (c == '.') c = '_';
  }
  return model;
}

}  // namespace tinysim::importer::testing
