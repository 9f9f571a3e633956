// Stand-in TFLM application (see README.md): six nodes (CONV_2D, DEPTHWISE_CONV_2D,
// AVERAGE_POOL_2D, ADD, FULLY_CONNECTED, SOFTMAX), interpreter.Invoke() twice, no markers.
#include <stdint.h>

#include "tensorflow/lite/micro/micro_interpreter.h"

namespace {
int8_t tensor_arena[1024];
}

int main() {
  for (int i = 0; i < 1024; ++i) tensor_arena[i] = static_cast<int8_t>((i * 37) & 0x7f);
  tflite::NodeAndRegistration nodes[] = {
      {{0, 256, 64}, tflite::Register_CONV_2D()},
      {{256, 512, 64}, tflite::Register_DEPTHWISE_CONV_2D()},
      {{512, 0, 64}, tflite::Register_AVERAGE_POOL_2D()},
      {{0, 768, 16}, tflite::Register_ADD()},
      {{768, 256, 16}, tflite::Register_FULLY_CONNECTED()},
      {{256, 512, 8}, tflite::Register_SOFTMAX()},
  };
  tflite::MicroInterpreter interpreter(nodes, 6, tensor_arena);
  for (int run = 0; run < 2; ++run) {
    if (interpreter.Invoke() != kTfLiteOk) return 1;
  }
  return 0;
}
