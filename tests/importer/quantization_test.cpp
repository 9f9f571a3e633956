// Quantisation maths: worked examples, and agreement with the kernel library's own host
// helpers (an independent implementation of the same TFLite semantics).
#include "workloads/importer/quantization.h"

#include <gtest/gtest.h>
#include <tinysim/nn.h>

#include <cmath>
#include <random>

#include "workloads/importer/import_error.h"

namespace tinysim::importer {
namespace {

TEST(Quantization, MultiplierWorkedExamples) {
  // 0.5 = 2^30 * 2^(0 - 31): significand 0.5, exponent 0.
  EXPECT_EQ(quantize_multiplier(0.5).multiplier, 1 << 30);
  EXPECT_EQ(quantize_multiplier(0.5).shift, 0);
  EXPECT_EQ(quantize_multiplier(1.0).multiplier, 1 << 30);
  EXPECT_EQ(quantize_multiplier(1.0).shift, 1);
  EXPECT_EQ(quantize_multiplier(0.25).shift, -1);
  // 0.75 * 2^31 = 1610612736.
  EXPECT_EQ(quantize_multiplier(0.75).multiplier, 1610612736);
  // A significand that rounds up to 1.0 moves to the next exponent.
  const QuantizedMultiplier q = quantize_multiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(q.multiplier, 1 << 30);
  EXPECT_EQ(q.shift, 1);
  // Zero and values below 2^-32 give no scaling at all.
  EXPECT_EQ(quantize_multiplier(0.0).multiplier, 0);
  EXPECT_EQ(quantize_multiplier(1e-12).multiplier, 0);
  EXPECT_EQ(quantize_multiplier(1e-12).shift, 0);
}

TEST(Quantization, MultiplierAgreesWithTheKernelLibrary) {
  std::mt19937 random(1);
  std::uniform_real_distribution<double> exponent(-30.0, 10.0);
  for (int i = 0; i < 20000; ++i) {
    const double real = std::pow(2.0, exponent(random));
    int32_t multiplier = 0;
    int32_t shift = 0;
    ts_quantize_multiplier(real, &multiplier, &shift);
    const QuantizedMultiplier q = quantize_multiplier(real);
    ASSERT_EQ(q.multiplier, multiplier) << real;
    ASSERT_EQ(q.shift, shift) << real;
    // And it represents the real number to 31 bits.
    EXPECT_NEAR(q.multiplier * std::pow(2.0, q.shift - 31), real, real * 1e-9);
  }
}

TEST(Quantization, ActivationRanges) {
  // Output scale 0.05, zero point -128: 0.0 -> -128, 6.0 -> -8.
  EXPECT_EQ(activation_range_int8(Activation::kNone, 0.05f, -128).min, -128);
  EXPECT_EQ(activation_range_int8(Activation::kNone, 0.05f, -128).max, 127);
  EXPECT_EQ(activation_range_int8(Activation::kRelu, 0.05f, -128).min, -128);
  EXPECT_EQ(activation_range_int8(Activation::kRelu6, 0.05f, -128).max, -8);
  // Zero point 10, scale 0.1: RELU clamps at 10, RELU6 at 70, RELU_N1_TO_1 to [0, 20].
  EXPECT_EQ(activation_range_int8(Activation::kRelu, 0.1f, 10).min, 10);
  EXPECT_EQ(activation_range_int8(Activation::kRelu6, 0.1f, 10).max, 70);
  EXPECT_EQ(activation_range_int8(Activation::kReluN1To1, 0.1f, 10).min, 0);
  EXPECT_EQ(activation_range_int8(Activation::kReluN1To1, 0.1f, 10).max, 20);
  // A RELU6 whose 6.0 lies beyond int8 saturates at 127.
  EXPECT_EQ(activation_range_int8(Activation::kRelu6, 0.01f, 0).max, 127);
  EXPECT_THROW(activation_range_int8(Activation::kTanh, 0.1f, 0), ImportError);
}

TEST(Quantization, AddAgreesWithTheKernelLibrary) {
  std::mt19937 random(2);
  std::uniform_real_distribution<float> scale(0.001f, 0.5f);
  for (int i = 0; i < 2000; ++i) {
    const float s1 = scale(random), s2 = scale(random), so = scale(random);
    const AddQuantization q = add_quantization(s1, s2, so);
    ts_add_params p{};
    ts_add_prepare(s1, 3, s2, -7, so, 11, -128, 127, &p);
    ASSERT_EQ(q.left_shift, 20);
    ASSERT_EQ(q.left_shift, p.left_shift);
    ASSERT_EQ(q.input1.multiplier, p.input1_multiplier);
    ASSERT_EQ(q.input1.shift, p.input1_shift);
    ASSERT_EQ(q.input2.multiplier, p.input2_multiplier);
    ASSERT_EQ(q.input2.shift, p.input2_shift);
    ASSERT_EQ(q.output.multiplier, p.output_multiplier);
    ASSERT_EQ(q.output.shift, p.output_shift);
    // The larger input is scaled by exactly 1/2.
    EXPECT_TRUE(q.input1.multiplier == (1 << 30) || q.input2.multiplier == (1 << 30));
    EXPECT_LE(q.input1.shift, 0);
    EXPECT_LE(q.input2.shift, 0);
  }
}

TEST(Quantization, SoftmaxWorkedExampleAndLibraryAgreement) {
  // beta 1, input scale 1/16: 2^-4 * 2^26 = 2^22 -> multiplier 2^30, left shift 23;
  // radius = floor(31 * 2^26 / 2^23) = 248.
  const SoftmaxQuantization s = softmax_quantization(1.0f, 1.0f / 16);
  EXPECT_EQ(s.input_multiplier, 1 << 30);
  EXPECT_EQ(s.input_left_shift, 23);
  EXPECT_EQ(s.diff_min, -248);
  EXPECT_EQ(softmax_input_radius(5, 23), 248);

  std::mt19937 random(3);
  std::uniform_real_distribution<float> scale(0.001f, 1.0f);
  for (int i = 0; i < 2000; ++i) {
    const float input_scale = scale(random);
    const SoftmaxQuantization q = softmax_quantization(1.0f, input_scale);
    ts_softmax_params p{};
    ts_softmax_prepare(1.0, input_scale, &p);
    ASSERT_EQ(q.input_multiplier, p.input_multiplier);
    ASSERT_EQ(q.input_left_shift, p.input_left_shift);
    ASSERT_EQ(q.diff_min, p.diff_min);
  }
}

TEST(Quantization, PaddingAndOutputSize) {
  // SAME, stride 2, 3x3 on 96: 48 outputs, total padding 1 -> 0 before.
  EXPECT_EQ(output_size(Padding::kSame, 96, 3, 2, 1), 48);
  EXPECT_EQ(padding_before(96, 3, 2, 1, 48), 0);
  // SAME, stride 1, 3x3: one pixel each side.
  EXPECT_EQ(output_size(Padding::kSame, 25, 3, 1, 1), 25);
  EXPECT_EQ(padding_before(25, 3, 1, 1, 25), 1);
  // KWS first layer: 10x4 filter, stride 2 on 49x10 SAME -> 25x5, padding 4 (top), 1 (left).
  EXPECT_EQ(output_size(Padding::kSame, 49, 10, 2, 1), 25);
  EXPECT_EQ(padding_before(49, 10, 2, 1, 25), 4);
  EXPECT_EQ(output_size(Padding::kSame, 10, 4, 2, 1), 5);
  EXPECT_EQ(padding_before(10, 4, 2, 1, 5), 1);
  // VALID: no padding; dilation widens the window.
  EXPECT_EQ(output_size(Padding::kValid, 25, 25, 25, 1), 1);
  EXPECT_EQ(output_size(Padding::kValid, 10, 3, 1, 2), 6);
  EXPECT_EQ(padding_before(10, 3, 1, 2, 6), 0);
  // Huge hostile dimensions do not overflow.
  EXPECT_GT(output_size(Padding::kValid, 2000000000, 3, 1, 1000000000), -2);
}

}  // namespace
}  // namespace tinysim::importer
