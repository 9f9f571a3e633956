# tinysim_nn for the cross build: included from workloads/target/CMakeLists.txt after the
# runtime. Makes tinysim_nn-<variant> for every core variant; the DSP kernels are chosen by the
# compiler's __ARM_FEATURE_DSP (cortex-m4f, -m7f, -m33f), the portable ones elsewhere.
# tinysim_nn_fp32-<variant> is the same with XNNPack-style fp32 requantisation
# (TS_NN_REQUANT_FP32, see docs/nn-kernels.md).
set(TINYSIM_NN_DIR ${CMAKE_CURRENT_LIST_DIR})
set(TINYSIM_NN_FIRMWARE_SOURCES
  ${TINYSIM_NN_DIR}/src/add.c
  ${TINYSIM_NN_DIR}/src/conv.c
  ${TINYSIM_NN_DIR}/src/depthwise.c
  ${TINYSIM_NN_DIR}/src/fully_connected.c
  ${TINYSIM_NN_DIR}/src/pool.c
  ${TINYSIM_NN_DIR}/src/prepare.c
  ${TINYSIM_NN_DIR}/src/quant.c
  ${TINYSIM_NN_DIR}/src/softmax.c)
tinysim_add_firmware_library(tinysim_nn
  SOURCES ${TINYSIM_NN_FIRMWARE_SOURCES}
  PUBLIC_INCLUDES ${TINYSIM_NN_DIR}/include)
tinysim_add_firmware_library(tinysim_nn_fp32
  SOURCES ${TINYSIM_NN_FIRMWARE_SOURCES}
  PUBLIC_INCLUDES ${TINYSIM_NN_DIR}/include)
# GCC's first scheduling pass hoists loads in the SMLAD loops until registers run out and it
# spills inside the loop (seen with GCC 12 for Cortex-M4); the kernels are written in a good
# order already.
foreach(variant IN LISTS TINYSIM_CORE_VARIANTS)
  target_compile_options(tinysim_nn-${variant} PRIVATE -fno-schedule-insns)
  target_compile_options(tinysim_nn_fp32-${variant} PRIVATE -fno-schedule-insns)
  target_compile_definitions(tinysim_nn_fp32-${variant} PRIVATE TS_NN_REQUANT_FP32=1)
endforeach()
