# tinysim_nn for the cross build: included from workloads/target/CMakeLists.txt after the
# runtime. Makes tinysim_nn-<variant> for every core variant; the DSP kernels are chosen by the
# compiler's __ARM_FEATURE_DSP (cortex-m4f, -m7f, -m33f), the portable ones elsewhere. They
# requantise as XNNPACK does, in float on cores with an FPU and in integers on the others.
# tinysim_nn_tflite-<variant> is the same with TFLite's fixed-point requantisation
# (TS_NN_REQUANT_TFLITE, see docs/nn-kernels.md).
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
tinysim_add_firmware_library(tinysim_nn_tflite
  SOURCES ${TINYSIM_NN_FIRMWARE_SOURCES}
  PUBLIC_INCLUDES ${TINYSIM_NN_DIR}/include)
# Compiler flags, tuned per core with tinysim's timing models. GCC's first scheduling pass hoists
# loads in the SMLAD loops until registers run out and it spills inside the loop (seen with GCC
# 12 for Cortex-M4); the hottest loops are inline asm on Cortex-M4/M33 anyway, where Cortex-M4
# pipelines only back-to-back loads. The dual-issue Cortex-M7 gains from both scheduling passes
# and from the C loops (TS_NN_DUAL_ISSUE), which the scheduler interleaves. Loops of a few bytes
# must not become memcpy or memset calls.
set(TINYSIM_NN_FLAGS -fno-schedule-insns -fno-tree-loop-distribute-patterns)
foreach(variant IN LISTS TINYSIM_CORE_VARIANTS)
  set(flags ${TINYSIM_NN_FLAGS})
  if(variant STREQUAL "cortex-m7f")
    set(flags -fno-tree-loop-distribute-patterns -DTS_NN_DUAL_ISSUE)
  endif()
  target_compile_options(tinysim_nn-${variant} PRIVATE ${flags})
  target_compile_options(tinysim_nn_tflite-${variant} PRIVATE ${flags})
  target_compile_definitions(tinysim_nn_tflite-${variant} PRIVATE TS_NN_REQUANT_TFLITE)
endforeach()

# The kernels' self-test on the target (tests/nn/firmware/kernels_selftest.c): random cases of
# every kernel against reference loops, covering the inline assembly the host tests cannot run.
# tests/nn/CMakeLists.txt runs it in tinysim for every core variant.
tinysim_add_firmware(nn_kernels_selftest
  SOURCES ${TINYSIM_NN_DIR}/../../tests/nn/firmware/kernels_selftest.c
  LIBRARIES tinysim_nn
  VARIANTS ${TINYSIM_CORE_VARIANTS}
  STACK_SIZE 4096)
