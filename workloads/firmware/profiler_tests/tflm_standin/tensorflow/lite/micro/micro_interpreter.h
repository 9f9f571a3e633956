// Stand-in (see ../../../README.md): a registration (the kernel's Eval as a function pointer)
// per node, and an interpreter whose Invoke() runs the nodes in order, as TFLM's does.
#pragma once

#include "tensorflow/lite/c/common.h"

namespace tflite {

struct TFLMRegistration {
  TfLiteStatus (*invoke)(TfLiteContext* context, TfLiteNode* node);
};

TFLMRegistration Register_CONV_2D();
TFLMRegistration Register_DEPTHWISE_CONV_2D();
TFLMRegistration Register_FULLY_CONNECTED();
TFLMRegistration Register_AVERAGE_POOL_2D();
TFLMRegistration Register_SOFTMAX();
TFLMRegistration Register_ADD();

struct NodeAndRegistration {
  TfLiteNode node;
  TFLMRegistration registration;
};

class MicroInterpreter {
 public:
  MicroInterpreter(NodeAndRegistration* nodes, int count, int8_t* arena)
      : nodes_(nodes), count_(count) {
    context_.arena = arena;
  }
  TfLiteStatus Invoke();

 private:
  NodeAndRegistration* nodes_;
  int count_;
  TfLiteContext context_;
};

}  // namespace tflite
