// Stand-in (see ../../../README.md).
#include "tensorflow/lite/micro/micro_interpreter.h"

namespace tflite {

__attribute__((noinline)) TfLiteStatus MicroInterpreter::Invoke() {
  for (int i = 0; i < count_; ++i) {
    NodeAndRegistration& n = nodes_[i];
    if (n.registration.invoke(&context_, &n.node) != kTfLiteOk) return kTfLiteError;
  }
  return kTfLiteOk;
}

}  // namespace tflite
