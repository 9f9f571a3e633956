/* Stand-in (see ../../../README.md): the two TFLM types a kernel's Eval receives, reduced to
 * what this test firmware needs. Not TensorFlow Lite's definitions. */
#pragma once
#include <stdint.h>

typedef enum { kTfLiteOk = 0, kTfLiteError = 1 } TfLiteStatus;

typedef struct TfLiteContext {
  int8_t* arena;
} TfLiteContext;

typedef struct TfLiteNode {
  int32_t input_offset;  /* into the arena */
  int32_t output_offset; /* into the arena */
  int32_t size;          /* elements */
} TfLiteNode;
