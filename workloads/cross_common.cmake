# What every cross build of tinysim firmware shares (workloads/target: everything;
# workloads/model_target: one imported model): the toolchain helpers, the compile flags, the
# runtime and the int8 kernels. Included right after project().
set(CMAKE_C_STANDARD 11)
set(TINYSIM_WORKLOADS_DIR ${CMAKE_CURRENT_LIST_DIR})
set(TINYSIM_RUNTIME_DIR ${TINYSIM_WORKLOADS_DIR}/runtime)
list(APPEND CMAKE_MODULE_PATH ${TINYSIM_WORKLOADS_DIR}/../cmake)
include(TinysimFirmware)

# -O2 with debug info: the profiler maps cycles to source lines through DWARF.
set(CMAKE_C_FLAGS_RELEASE "-O2 -g")
set(CMAKE_ASM_FLAGS_RELEASE "-g")
add_compile_options(-ffunction-sections -fdata-sections -Wall -Wextra)

add_subdirectory(${TINYSIM_RUNTIME_DIR} ${CMAKE_BINARY_DIR}/runtime)
include(${TINYSIM_WORKLOADS_DIR}/nn/firmware.cmake)

# tinysim_add_model_firmware(NAME GENERATED_DIR [VARIANTS v...]): <NAME>-<variant>.elf from the
# C `tinysim import` wrote into GENERATED_DIR, with workloads/models/main.c. The tensor arena and
# all buffers are static (.bss); the kernels need little stack (at most about 1.5 KiB: the DSP
# depthwise kernel's weight buffer, GCC -fstack-usage) and no heap (main.c prints through
# semihosting SYS_WRITE0, not printf). 3 KiB of stack lets KWS fit the 20 KiB of a Blue Pill
# (STM32F103C8).
function(tinysim_add_model_firmware name generated_dir)
  tinysim_add_firmware(${name}
    SOURCES ${TINYSIM_WORKLOADS_DIR}/models/main.c ${generated_dir}/${name}.c
    LIBRARIES tinysim_nn
    INCLUDES ${generated_dir}
    DEFINITIONS TINYSIM_MODEL=${name} "TINYSIM_MODEL_HEADER=<${name}.h>"
    STACK_SIZE 3072
    ${ARGN})
endfunction()
