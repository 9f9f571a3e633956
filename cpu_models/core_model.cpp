#include "cpu_models/core_model.h"

#include "cpu_models/impl/instruction_count_model.h"

namespace tinysim::cpu_models {

std::unique_ptr<CoreModel> make_core_model(std::string_view core,
                                           const CoreModelOptions& options) {
  // Until the per-core models land every core counts one cycle per instruction.
  (void)core;
  (void)options;
  return std::make_unique<InstructionCountModel>();
}

std::vector<std::string> core_model_names() { return {"instruction-count"}; }

}  // namespace tinysim::cpu_models
