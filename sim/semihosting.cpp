#include "sim/semihosting.h"

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <algorithm>

namespace tinysim::sim {
namespace {

enum Op : uint32_t {
  kOpen = 0x01,
  kClose = 0x02,
  kWriteC = 0x03,
  kWrite0 = 0x04,
  kWrite = 0x05,
  kRead = 0x06,
  kReadC = 0x07,
  kIsError = 0x08,
  kIsTty = 0x09,
  kSeek = 0x0A,
  kFlen = 0x0C,
  kTmpNam = 0x0D,
  kRemove = 0x0E,
  kRename = 0x0F,
  kClock = 0x10,
  kTime = 0x11,
  kSystem = 0x12,
  kErrno = 0x13,
  kGetCmdline = 0x15,
  kHeapInfo = 0x16,
  kExit = 0x18,
  kExitExtended = 0x20,
  kElapsed = 0x30,
  kTickFreq = 0x31,
};

// Handles: the three ":tt" streams, and the feature-bits pseudo file.
constexpr uint32_t kStdin = 1, kStdout = 2, kStderr = 3, kFeatures = 4;
constexpr uint32_t kAdpApplicationExit = 0x20026;
// ":semihosting-features": magic "SHFB" then one byte: SH_EXT_EXIT_EXTENDED (bit 0) and
// SH_EXT_STDOUT_STDERR (bit 1) (semihosting v2.0, 5.2).
constexpr uint8_t kFeatureBytes[] = {'S', 'H', 'F', 'B', 0x03};
constexpr uint32_t kFail = 0xFFFFFFFF;
constexpr uint32_t kEacces = 13, kEbadf = 9, kEfault = 14;
constexpr size_t kMaxWrite0 = 1 << 20;

std::string exit_reason_name(uint32_t reason) {
  // Reason codes: semihosting v2.0, 5.5.2 (hardware vectors 0x200xx, software 0x2002x).
  static const char* const kHardware[] = {"BranchThroughZero",
                                          "UndefinedInstr",
                                          "SoftwareInterrupt",
                                          "PrefetchAbort",
                                          "DataAbort",
                                          "AddressException",
                                          "IRQ",
                                          "FIQ"};
  static const char* const kSoftware[] = {
      "BreakPoint",     "WatchPoint",       "StepComplete",    "RunTimeErrorUnknown",
      "InternalError",  "UserInterruption", "ApplicationExit", "StackOverflow",
      "DivisionByZero", "OSSpecific"};
  if (reason >= 0x20000 && reason < 0x20008) {
    return std::string("ADP_Stopped_") + kHardware[reason - 0x20000];
  }
  if (reason >= 0x20020 && reason < 0x2002A) {
    return std::string("ADP_Stopped_") + kSoftware[reason - 0x20020];
  }
  return fmt::format("reason 0x{:x}", reason);
}

}  // namespace

Semihosting::Semihosting(ConsoleSink console, std::string command_line, uint64_t clock_hz)
    : console_(std::move(console)), command_line_(std::move(command_line)), clock_hz_(clock_hz) {}

bool Semihosting::read_words(uc_struct* uc, uint32_t address, uint32_t* words, int count) {
  return uc_mem_read(uc, address, words, sizeof(uint32_t) * count) == UC_ERR_OK;
}

bool Semihosting::read_string(uc_struct* uc, uint32_t address, size_t max_length,
                              std::string& out) {
  out.clear();
  char chunk[64];
  while (out.size() < max_length) {
    // Read byte-wise at a region end; chunks elsewhere.
    if (uc_mem_read(uc, address, chunk, sizeof chunk) != UC_ERR_OK) {
      if (uc_mem_read(uc, address, chunk, 1) != UC_ERR_OK) return false;
      if (chunk[0] == 0) return true;
      out.push_back(chunk[0]);
      ++address;
      continue;
    }
    const char* end = std::find(chunk, chunk + sizeof chunk, '\0');
    out.append(chunk, static_cast<size_t>(end - chunk));
    if (end != chunk + sizeof chunk) return true;
    address += sizeof chunk;
  }
  return true;
}

SemihostingResult Semihosting::call(uc_struct* uc, uint32_t op, uint32_t param, uint64_t cycles) {
  SemihostingResult result;
  auto fail = [&](uint32_t err, std::optional<std::string> warning = std::nullopt) {
    errno_ = err;
    result.r0 = kFail;
    result.warning = std::move(warning);
    return result;
  };
  uint32_t args[4] = {};
  switch (op) {
    case kOpen: {
      std::string name;
      if (!read_words(uc, param, args, 3) || !read_string(uc, args[0], 4096, name)) {
        return fail(kEfault);
      }
      if (name == ":tt") {
        result.r0 = args[1] < 4 ? kStdin : args[1] < 8 ? kStdout : kStderr;
      } else if (name == ":semihosting-features" && args[1] < 4) {
        features_position_ = 0;
        result.r0 = kFeatures;
      } else {
        return fail(kEacces, fmt::format("semihosting SYS_OPEN(\"{}\") refused: the firmware "
                                         "has no access to host files",
                                         name));
      }
      return result;
    }
    case kClose:
      result.r0 = param >= kStdin && param <= kFeatures ? 0 : kFail;
      return result;
    case kWriteC: {
      char c;
      if (uc_mem_read(uc, param, &c, 1) != UC_ERR_OK) return fail(kEfault);
      console_(1, std::string_view(&c, 1));
      return result;
    }
    case kWrite0: {
      std::string text;
      if (!read_string(uc, param, kMaxWrite0, text)) return fail(kEfault);
      console_(1, text);
      return result;
    }
    case kWrite: {
      if (!read_words(uc, param, args, 3)) return fail(kEfault);
      if (args[0] != kStdout && args[0] != kStderr) {
        result.r0 = args[2];  // nothing written
        errno_ = kEbadf;
        return result;
      }
      std::string text(args[2], '\0');
      if (args[2] > (1u << 24) || uc_mem_read(uc, args[1], text.data(), args[2]) != UC_ERR_OK) {
        result.r0 = args[2];
        errno_ = kEfault;
        return result;
      }
      console_(args[0] == kStdout ? 1 : 2, text);
      result.r0 = 0;
      return result;
    }
    case kRead: {
      if (!read_words(uc, param, args, 3)) return fail(kEfault);
      if (args[0] == kFeatures) {
        const size_t n = std::min<size_t>(args[2], sizeof kFeatureBytes - features_position_);
        if (uc_mem_write(uc, args[1], kFeatureBytes + features_position_, n) != UC_ERR_OK) {
          return fail(kEfault);
        }
        features_position_ += n;
        result.r0 = args[2] - static_cast<uint32_t>(n);
        return result;
      }
      result.r0 = args[2];  // stdin: end of file, nothing read
      return result;
    }
    case kReadC:
      return fail(kEbadf);
    case kIsError:
      result.r0 = static_cast<int32_t>(param) < 0 ? 1 : 0;
      return result;
    case kIsTty:
      result.r0 = param >= kStdin && param <= kStderr ? 1 : 0;
      return result;
    case kSeek:
      if (!read_words(uc, param, args, 2)) return fail(kEfault);
      if (args[0] != kFeatures || args[1] > sizeof kFeatureBytes) return fail(kEbadf);
      features_position_ = args[1];
      result.r0 = 0;
      return result;
    case kFlen:
      if (!read_words(uc, param, args, 1)) return fail(kEfault);
      result.r0 = args[0] == kFeatures ? sizeof kFeatureBytes : 0;
      return result;
    case kTmpNam:
    case kRemove:
    case kRename:
    case kSystem:
      return fail(kEacces, fmt::format("semihosting operation 0x{:02x} refused: the firmware has "
                                       "no access to host files or commands",
                                       op));
    case kClock:
      result.r0 = static_cast<uint32_t>(cycles * 100 / clock_hz_);
      return result;
    case kTime:
      result.r0 = static_cast<uint32_t>(cycles / clock_hz_);
      return result;
    case kErrno:
      result.r0 = errno_;
      return result;
    case kGetCmdline: {
      if (!read_words(uc, param, args, 2)) return fail(kEfault);
      if (command_line_.size() + 1 > args[1]) return fail(kEfault);
      const uint32_t length = static_cast<uint32_t>(command_line_.size());
      if (uc_mem_write(uc, args[0], command_line_.c_str(), length + 1) != UC_ERR_OK ||
          uc_mem_write(uc, param + 4, &length, 4) != UC_ERR_OK) {
        return fail(kEfault);
      }
      result.r0 = 0;
      return result;
    }
    case kHeapInfo: {
      // Zeros: "no information", the C library then uses its linker symbols.
      uint32_t block_address;
      const uint32_t zeros[4] = {};
      if (!read_words(uc, param, &block_address, 1) ||
          uc_mem_write(uc, block_address, zeros, sizeof zeros) != UC_ERR_OK) {
        return fail(kEfault);
      }
      return result;
    }
    case kExit:
      result.exit_reason = exit_reason_name(param);
      result.exit_code = param == kAdpApplicationExit ? 0 : 1;
      return result;
    case kExitExtended:
      if (!read_words(uc, param, args, 2)) return fail(kEfault);
      result.exit_reason = exit_reason_name(args[0]);
      result.exit_code = args[0] == kAdpApplicationExit ? static_cast<int>(args[1]) : 1;
      return result;
    case kElapsed: {
      if (uc_mem_write(uc, param, &cycles, sizeof cycles) != UC_ERR_OK) return fail(kEfault);
      result.r0 = 0;
      return result;
    }
    case kTickFreq:
      result.r0 = static_cast<uint32_t>(clock_hz_);
      return result;
    default:
      return fail(kEacces, fmt::format("semihosting operation 0x{:02x} is not supported", op));
  }
}

}  // namespace tinysim::sim
