// Status and StatusOr: results at library boundaries (LevelDB style). A failed Status carries
// a code the front ends map to an exit code and a message that names the file, key or address.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace tinysim {

enum class StatusCode {
  kOk,
  kInvalidFirmware,       // missing, unreadable, or not a valid Cortex-M ELF
  kIncompatibleFirmware,  // valid, but needs an architecture or FPU the core lacks
  kFirmwareTooLarge,      // valid, but its sections need more flash or SRAM than the board has
  kInvalidBoard,          // unknown board, or a board description that fails validation
  kInvalidArgument,       // a bad option value
  kIoError,               // an output could not be written
  kInternal,              // a bug in tinysim
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a failed Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) { assert(!status_.is_ok()); }  // NOLINT

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: is_ok().
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tinysim
