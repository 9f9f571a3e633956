// ImportError: the one error type of the TFLite importer.
//
// Every importer function that rejects its input (a malformed or hostile file, an operator,
// dtype or shape the kernels do not support, an output that cannot be written) throws
// ImportError with a message meant for the user: it names the file offset, tensor or operator
// (index and TFLite builtin name) and what is wrong. Anything else that escapes the importer is
// a bug.
#pragma once

#include <stdexcept>
#include <string>

namespace tinysim::importer {

class ImportError : public std::runtime_error {
 public:
  explicit ImportError(const std::string& message) : std::runtime_error(message) {}
};

// The generated files could not be written (the model itself was fine).
class OutputError : public ImportError {
 public:
  explicit OutputError(const std::string& message) : ImportError(message) {}
};

}  // namespace tinysim::importer
