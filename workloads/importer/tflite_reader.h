// TFLite reader: a .tflite FlatBuffer to a Graph.
//
// Uses the packaged FlatBuffers library's generic Table/Vector accessors with the field ids of
// TensorFlow Lite's schema.fbs (Model, SubGraph, Tensor, Buffer, Operator, OperatorCode,
// QuantizationParameters and the options tables of the supported operators). Before any field
// is read, flatbuffers::Verifier checks every table, vector and string the reader touches, so a
// truncated file, an offset out of range or random bytes give an ImportError, never a crash.
// After the structural check, indices (tensor, buffer, opcode) are range-checked too.
//
// Only the first subgraph is read (TFLite's main graph). Operators whose builtin code the
// importer does not support are still read (kind and tensors), so that lowering can report
// them by index and name.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "workloads/importer/graph.h"

namespace tinysim::importer {

// Parses a whole .tflite file held in memory. `bytes` may be anything (hostile input is
// expected); the result does not refer to it. Throws ImportError.
Graph read_tflite(std::span<const uint8_t> bytes);

// Reads and parses the file at `path`. Throws ImportError (also when it cannot be read).
Graph read_tflite_file(const std::string& path);

}  // namespace tinysim::importer
