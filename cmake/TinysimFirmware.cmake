# Helpers for the cross build under workloads/target: one firmware per core variant.
#
# A core variant names a -mcpu and a float ABI. The variant is part of every firmware file name
# (`<name>-<variant>.elf`), so `tinysim compare` can pick the build that matches a board's core.

set(TINYSIM_CORE_VARIANTS cortex-m0 cortex-m0plus cortex-m3 cortex-m4f cortex-m7f cortex-m33f)

# Board-family variants: the code of a core variant, linked at another flash origin, for boards
# whose memory map cannot boot the core variant's build (the catalog's board.firmware_variant
# names them, docs/catalog.md). Firmware built without VARIANTS gets these too; libraries are
# shared with the core variant (same compiler flags).
#   cortex-m0plus-rp2040  RP2040: XIP flash at 0x10000000, vector table after boot2 at 0x10000100
#   cortex-m33f-stm32     STM32U5/L5: flash at 0x08000000, no alias at 0
set(TINYSIM_BOARD_VARIANTS cortex-m0plus-rp2040 cortex-m33f-stm32)

# The core variant a (board) variant compiles for.
function(tinysim_base_variant variant out)
  if(variant STREQUAL "cortex-m0plus-rp2040")
    set(${out} cortex-m0plus PARENT_SCOPE)
  elseif(variant STREQUAL "cortex-m33f-stm32")
    set(${out} cortex-m33f PARENT_SCOPE)
  else()
    set(${out} ${variant} PARENT_SCOPE)
  endif()
endfunction()

function(tinysim_core_flags variant out)
  tinysim_base_variant(${variant} variant)
  if(variant STREQUAL "cortex-m0")
    set(flags -mcpu=cortex-m0 -mfloat-abi=soft)
  elseif(variant STREQUAL "cortex-m0plus")
    set(flags -mcpu=cortex-m0plus -mfloat-abi=soft)
  elseif(variant STREQUAL "cortex-m3")
    set(flags -mcpu=cortex-m3 -mfloat-abi=soft)
  elseif(variant STREQUAL "cortex-m4f")
    set(flags -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
  elseif(variant STREQUAL "cortex-m7f")
    # Single-precision FPv5 runs on both the F7 (SP) and H7 (DP) parts.
    set(flags -mcpu=cortex-m7 -mfpu=fpv5-sp-d16 -mfloat-abi=hard)
  elseif(variant STREQUAL "cortex-m33f")
    set(flags -mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard)
  else()
    message(FATAL_ERROR "unknown core variant '${variant}' (known: ${TINYSIM_CORE_VARIANTS})")
  endif()
  set(${out} -mthumb ${flags} PARENT_SCOPE)
endfunction()

# Where a variant's flash is linked. Every board of a core must boot it: Cortex-M7 parts
# (STM32F7/H7) have ITCM RAM at 0 and flash at 0x08000000; the others boot from flash at 0
# (nRF, SAMD) or from the STM32 flash alias at 0.
function(tinysim_flash_origin variant out)
  if(variant STREQUAL "cortex-m7f" OR variant STREQUAL "cortex-m33f-stm32")
    set(${out} 0x08000000 PARENT_SCOPE)
  elseif(variant STREQUAL "cortex-m0plus-rp2040")
    set(${out} 0x10000100 PARENT_SCOPE)
  else()
    set(${out} 0x00000000 PARENT_SCOPE)
  endif()
endfunction()

# tinysim_add_firmware(NAME SOURCES src... [VARIANTS v...] [LIBRARIES lib...]
#                      [STACK_SIZE bytes] [HEAP_SIZE bytes] [DEFINITIONS d...] [INCLUDES dir...])
# Builds ${TINYSIM_FIRMWARE_OUT}/NAME-VARIANT.elf for each variant (default: all core and board
# variants), linked with
# our startup code and linker script. LIBRARIES are base names of per-variant libraries made
# with tinysim_add_firmware_library (the variant suffix is added here).
function(tinysim_add_firmware name)
  cmake_parse_arguments(FW "" "STACK_SIZE;HEAP_SIZE" "SOURCES;VARIANTS;LIBRARIES;DEFINITIONS;INCLUDES" ${ARGN})
  if(NOT FW_VARIANTS)
    set(FW_VARIANTS ${TINYSIM_CORE_VARIANTS} ${TINYSIM_BOARD_VARIANTS})
  endif()
  if(NOT FW_STACK_SIZE)
    set(FW_STACK_SIZE 4096)
  endif()
  if(NOT FW_HEAP_SIZE)
    set(FW_HEAP_SIZE 0)
  endif()
  foreach(variant IN LISTS FW_VARIANTS)
    set(target ${name}-${variant})
    tinysim_core_flags(${variant} flags)
    tinysim_flash_origin(${variant} flash_origin)
    add_executable(${target} ${FW_SOURCES})
    set_target_properties(${target} PROPERTIES SUFFIX ".elf"
                          RUNTIME_OUTPUT_DIRECTORY ${TINYSIM_FIRMWARE_OUT})
    target_compile_options(${target} PRIVATE ${flags})
    target_compile_definitions(${target} PRIVATE ${FW_DEFINITIONS})
    target_include_directories(${target} PRIVATE ${FW_INCLUDES})
    tinysim_base_variant(${variant} lib_variant)
    set(libs)
    foreach(lib IN LISTS FW_LIBRARIES)
      list(APPEND libs ${lib}-${lib_variant})
    endforeach()
    target_link_libraries(${target} PRIVATE ${libs} tinysim_runtime-${lib_variant})
    target_link_options(${target} PRIVATE ${flags}
      -T${TINYSIM_RUNTIME_DIR}/cortex-m.ld -nostartfiles --specs=nano.specs
      -Wl,--gc-sections -Wl,--defsym=__flash_origin=${flash_origin}
      -Wl,--defsym=__stack_size=${FW_STACK_SIZE}
      -Wl,--defsym=__heap_size=${FW_HEAP_SIZE} -Wl,-Map=${TINYSIM_FIRMWARE_OUT}/${target}.map)
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${TINYSIM_RUNTIME_DIR}/cortex-m.ld)
  endforeach()
endfunction()

# tinysim_add_firmware_library(NAME [OBJECT] SOURCES src... [VARIANTS v...]
#                              [PUBLIC_INCLUDES dir...] [DEFINITIONS d...])
# A static library per variant, named NAME-VARIANT. OBJECT makes an object library instead,
# whose objects are always linked (needed for the newlib system calls, which libc references).
function(tinysim_add_firmware_library name)
  cmake_parse_arguments(FL "OBJECT" "" "SOURCES;VARIANTS;PUBLIC_INCLUDES;DEFINITIONS" ${ARGN})
  set(kind STATIC)
  if(FL_OBJECT)
    set(kind OBJECT)
  endif()
  if(NOT FL_VARIANTS)
    set(FL_VARIANTS ${TINYSIM_CORE_VARIANTS})
  endif()
  foreach(variant IN LISTS FL_VARIANTS)
    tinysim_core_flags(${variant} flags)
    add_library(${name}-${variant} ${kind} ${FL_SOURCES})
    target_compile_options(${name}-${variant} PRIVATE ${flags})
    target_include_directories(${name}-${variant} PUBLIC ${FL_PUBLIC_INCLUDES})
    target_compile_definitions(${name}-${variant} PUBLIC ${FL_DEFINITIONS})
  endforeach()
endfunction()
