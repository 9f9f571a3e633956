#include "sim/build_attributes.h"

#include <gtest/gtest.h>

namespace tinysim::sim {
namespace {

TEST(BuildAttributes, RejectsWrongFormatVersion) {
  const uint8_t bytes[] = {'B', 0, 0, 0, 0};
  EXPECT_FALSE(parse_build_attributes(bytes).has_value());
}

}  // namespace
}  // namespace tinysim::sim
