// Stand-in (see ../../../../../README.md): the shape of TFLM's kernels/cmsis_nn/conv.cc, an Eval in
// an anonymous namespace calling the CMSIS-NN kernel, and its registration.
#include "arm_nnfunctions.h"
#include "tensorflow/lite/micro/micro_interpreter.h"

namespace tflite {
namespace {

__attribute__((noinline)) TfLiteStatus Eval(TfLiteContext* context, TfLiteNode* node) {
  const int8_t* in = context->arena + node->input_offset;
  int8_t* out = context->arena + node->output_offset;
  return arm_convolve_s8(in, out, node->size) == 0 ? kTfLiteOk : kTfLiteError;
}

}  // namespace

TFLMRegistration Register_CONV_2D() {
  return TFLMRegistration{Eval};
}

}  // namespace tflite
