# The bundled models as firmware, for the cross build: included from
# workloads/target/CMakeLists.txt after workloads/cross_common.cmake (tinysim_nn and
# tinysim_add_model_firmware). The host build generates the C first
# (workloads/models/CMakeLists.txt) and passes its directory as TINYSIM_MODELS_GENERATED_DIR.
# Builds <name>-<variant>.elf for every model and core variant.
include(${CMAKE_CURRENT_LIST_DIR}/models.cmake)
if(NOT TINYSIM_MODELS_GENERATED_DIR)
  message(STATUS "TINYSIM_MODELS_GENERATED_DIR not set: model firmware skipped")
  return()
endif()
foreach(model IN LISTS TINYSIM_BUNDLED_MODELS)
  tinysim_model_symbol(${model} name)
  tinysim_add_model_firmware(${name} ${TINYSIM_MODELS_GENERATED_DIR})
endforeach()
