# The Thumb decoder (Capstone), a library of its own so the CPU-model tests can use it without
# the rest of sim/. Included from sim/CMakeLists.txt: include(${CMAKE_CURRENT_LIST_DIR}/decoder.cmake)
# REQUIRES: PkgConfig::CAPSTONE (pkg_check_modules(CAPSTONE ... IMPORTED_TARGET capstone)).
add_library(tinysim_decoder ${CMAKE_CURRENT_LIST_DIR}/decoder.cpp)
target_include_directories(tinysim_decoder PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(tinysim_decoder PUBLIC tinysim_cpu_models PRIVATE PkgConfig::CAPSTONE)
