// C emitter: a lowered graph and its memory plan as one C source and one header.
//
// The generated code is plain C11 for any compiler that knows GCC's aligned attribute, and
// depends only on <tinysim/nn.h> (and <tinysim/markers.h> when markers are on):
//  - <name>.h: size constants (<NAME>_INPUT_SIZE, _OUTPUT_SIZE, _ARENA_SIZE, ...), the input
//    and output quantisation, <name>_input_buffer() and <name>_invoke(input, output).
//  - <name>.c: weights, biases and requantisation tables as static const arrays (flash), the
//    tensor arena as one static array (RAM), the operator table for the profiler (section
//    .tinysim_ops), and <name>_invoke(): one block per operator with its kernel parameters as
//    static const structs and the kernel call between TINYSIM_OP_BEGIN/END markers.
// docs/importer.md describes the layout with an example.
#pragma once

#include <string>

#include "workloads/importer/lowering.h"
#include "workloads/importer/memory_plan.h"

namespace tinysim::importer {

struct EmitOptions {
  // C identifier prefixing every symbol and naming the files (<name>.c, <name>.h).
  // REQUIRES: a valid C identifier (see sanitize_identifier).
  std::string name = "model";
  // Emit operator markers and the operator table. Off: the code has no dependency on
  // <tinysim/markers.h> (for firmware that should not touch the ITM at all).
  bool markers = true;
  // Shown in the generated files' first comment: which file they came from.
  std::string source_file;
};

struct GeneratedCode {
  std::string header_name;  // "<name>.h"
  std::string header;
  std::string source_name;  // "<name>.c"
  std::string source;
};

GeneratedCode emit_c(const LoweredGraph& lowered, const MemoryPlan& plan,
                     const EmitOptions& options);

// A C identifier from any text (typically a file name without extension): characters other
// than letters, digits and '_' become '_'; a leading digit gets a '_' prefix; empty becomes
// "model". Matches CMake's string(MAKE_C_IDENTIFIER).
std::string sanitize_identifier(const std::string& text);

}  // namespace tinysim::importer
