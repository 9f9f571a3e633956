# The bundled models as firmware, for the cross build: included from
# workloads/target/CMakeLists.txt after tinysim_nn. The host build generates the C first
# (workloads/models/CMakeLists.txt) and passes its directory as TINYSIM_MODELS_GENERATED_DIR.
# Builds <name>-<variant>.elf for every model and core variant.
include(${CMAKE_CURRENT_LIST_DIR}/models.cmake)
if(NOT TINYSIM_MODELS_GENERATED_DIR)
  message(STATUS "TINYSIM_MODELS_GENERATED_DIR not set: model firmware skipped")
  return()
endif()
foreach(model IN LISTS TINYSIM_BUNDLED_MODELS)
  tinysim_model_symbol(${model} name)
  # The tensor arena and all buffers are static (.bss); the kernels need little stack (at most
  # about 1.5 KiB: the DSP depthwise kernel's weight buffer, GCC -fstack-usage) and no heap
  # (main.c prints through semihosting SYS_WRITE0, not printf). 3 KiB of stack lets KWS fit the
  # 20 KiB of a Blue Pill (STM32F103C8).
  tinysim_add_firmware(${name}
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/main.c ${TINYSIM_MODELS_GENERATED_DIR}/${name}.c
    LIBRARIES tinysim_nn
    INCLUDES ${TINYSIM_MODELS_GENERATED_DIR}
    DEFINITIONS TINYSIM_MODEL=${name} "TINYSIM_MODEL_HEADER=<${name}.h>"
    STACK_SIZE 3072)
endforeach()
