// A slow, obviously-correct interpreter of a LoweredGraph, for tests only.
//
// It runs the kernel calls the importer planned, with plain loops and one buffer per tensor (no
// arena), so it checks the lowering (shapes, padding, offsets, clamps, multipliers) apart from
// the kernel library, the memory plan and the emitter. ADD and SOFTMAX use the kernel
// library's functions (their fixed-point maths is long and is tested with the kernels).
//
// Requantisation of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED comes in two flavours:
//  - kTflite: TFLite's reference kernels: the (multiplier, shift) pair and
//    MultiplyByQuantizedMultiplier (what tinysim_nn implements);
//  - kFloat32 (and kFloat32Integer, the same without floating point): XNNPACK's "fp32"
//    requantisation, which TFLite's WebAssembly build delegates to:
//    scale = input_scale * weight_scale / output_scale in float, output =
//    round-half-to-even(float(acc) * scale) + zero point. This is the arithmetic that
//    reproduces models/reference-outputs.json exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/importer/lowering.h"

namespace tinysim::importer::testing {

enum class Requantization { kTflite, kFloat32, kFloat32Integer };

// round_half_even(float(float(acc) * scale)) computed with integer operations only: the
// requantisation of kFloat32 for cores without an FPU. `scale` is a positive normal float,
// passed as its 24-bit significand (with the implicit bit) and exponent: scale =
// significand * 2^exponent. Results beyond int32 saturate.
int32_t requantize_float32_integer(int32_t acc, int32_t significand, int32_t exponent);

// The (significand, exponent) pair of a positive normal float.
void float_parts(float scale, int32_t* significand, int32_t* exponent);

// Runs `lowered` on `input` (the input tensor's bytes) and returns the output tensor.
std::vector<int8_t> interpret(const LoweredGraph& lowered, const std::vector<int8_t>& input,
                              Requantization requantization);

// The xorshift32 input of reference-outputs.json for `seed`.
std::vector<int8_t> xorshift_input(uint32_t seed, size_t size);

}  // namespace tinysim::importer::testing
