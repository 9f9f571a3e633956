// FirmwareBuilder: import + cross build of one model (see firmware_builder.h).
#include "workloads/importer/firmware_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <sys/wait.h>

#ifndef TINYSIM_SOURCE_DIR
#error "TINYSIM_SOURCE_DIR must name the project source tree (workloads/importer/CMakeLists.txt)"
#endif

namespace tinysim::importer {
namespace {

namespace fs = std::filesystem;

// The executable `name` in a directory of PATH, or "" if none.
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return {};
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const fs::path dir = end > start ? fs::path(dirs.substr(start, end - start)) : fs::path(".");
    const fs::path candidate = dir / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    start = end + 1;
  }
  return {};
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string source_dir() {
  const char* env = std::getenv("TINYSIM_SOURCE_DIR");
  if (env != nullptr && *env != '\0') return env;
  return TINYSIM_SOURCE_DIR;
}

// Runs a shell command with stderr folded into stdout; returns its exit status and output.
int run_command(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), n);
  int status = ::pclose(pipe);
  if (status == -1) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128;
}

// The last `max_lines` lines of a tool's output, for an error message.
std::string tail_lines(const std::string& text, size_t max_lines) {
  size_t pos = text.size();
  size_t lines = 0;
  while (pos > 0 && lines <= max_lines) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
    ++lines;
  }
  return text.substr(pos + 1);
}

void report(const ProgressCallback& progress, const std::string& line) {
  if (progress) progress(line);
}

}  // namespace

const std::vector<std::string>& known_firmware_variants() {
  // cmake/TinysimFirmware.cmake: TINYSIM_CORE_VARIANTS and TINYSIM_BOARD_VARIANTS.
  static const std::vector<std::string> variants = {
      "cortex-m0",   "cortex-m0plus",        "cortex-m3",        "cortex-m4f", "cortex-m7f",
      "cortex-m33f", "cortex-m0plus-rp2040", "cortex-m33f-stm32"};
  return variants;
}

FirmwareBuildResult build_model_firmware(const FirmwareBuildOptions& options,
                                         const ProgressCallback& progress) {
  if (options.variants.empty()) throw BuildError("no firmware variant to build");
  const std::vector<std::string>& known = known_firmware_variants();
  for (const std::string& variant : options.variants) {
    if (std::find(known.begin(), known.end(), variant) == known.end()) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      throw BuildError(fmt::format("unknown firmware variant '{}' (known: {})", variant, list));
    }
  }
  // Tools first: a missing cross compiler should not wait for the import.
  const std::string cmake = find_on_path("cmake");
  if (cmake.empty()) throw BuildError("cmake not found on PATH (Debian package: cmake)");
  if (find_on_path("ninja").empty()) {
    throw BuildError("ninja not found on PATH (Debian package: ninja-build)");
  }
  if (find_on_path("arm-none-eabi-gcc").empty()) {
    throw BuildError(
        "arm-none-eabi-gcc not found on PATH: building firmware needs the Arm cross compiler "
        "(Debian packages: gcc-arm-none-eabi libnewlib-arm-none-eabi)");
  }
  const fs::path project = fs::path(source_dir()) / "workloads" / "model_target";
  std::error_code ec;
  if (!fs::is_regular_file(project / "CMakeLists.txt", ec)) {
    throw BuildError(fmt::format("{} not found: set TINYSIM_SOURCE_DIR to the tinysim source tree",
                                 project.string()));
  }

  FirmwareBuildResult result;
  report(progress, fmt::format("importing {}", options.import.model_path));
  result.summary = import_model(options.import);
  const std::string& name = result.summary.name;

  const fs::path out_dir = fs::absolute(options.import.output_dir, ec);
  if (ec) throw OutputError(fmt::format("{}: {}", options.import.output_dir, ec.message()));
  const fs::path build_root =
      options.build_dir.empty() ? out_dir / ".tinysim-build" : fs::absolute(options.build_dir);
  const fs::path toolchain = fs::path(source_dir()) / "cmake" / "arm-none-eabi.cmake";

  for (const std::string& variant : options.variants) {
    const fs::path build = build_root / (name + "-" + variant);
    fs::create_directories(build, ec);
    if (ec) throw OutputError(fmt::format("cannot create {}: {}", build.string(), ec.message()));
    std::string output;
    report(progress,
           fmt::format("configuring the cross build for {} in {}", variant, build.string()));
    std::string configure = fmt::format(
        "{} -S {} -B {} -G Ninja -DCMAKE_TOOLCHAIN_FILE={} -DCMAKE_BUILD_TYPE=Release "
        "-DTINYSIM_MODEL_NAME={} -DTINYSIM_MODEL_DIR={} -DTINYSIM_MODEL_VARIANT={} "
        "-DTINYSIM_FIRMWARE_OUT={}",
        shell_quote(cmake), shell_quote(project.string()), shell_quote(build.string()),
        shell_quote(toolchain.string()), shell_quote(name), shell_quote(out_dir.string()),
        shell_quote(variant), shell_quote(out_dir.string()));
    if (run_command(configure, output) != 0) {
      throw BuildError(fmt::format("configuring the cross build for {} failed:\n{}", variant,
                                   tail_lines(output, 30)));
    }
    const std::string target = name + "-" + variant;
    report(progress, fmt::format("compiling {}.elf (runtime, kernels, model)", target));
    std::string compile = fmt::format("{} --build {} --target {}", shell_quote(cmake),
                                      shell_quote(build.string()), shell_quote(target));
    if (run_command(compile, output) != 0) {
      throw BuildError(fmt::format("building {}.elf failed:\n{}", target, tail_lines(output, 40)));
    }
    const fs::path elf = out_dir / (target + ".elf");
    if (!fs::is_regular_file(elf, ec)) {
      throw BuildError(fmt::format("the cross build did not produce {}", elf.string()));
    }
    report(progress, fmt::format("wrote {}", elf.string()));
    result.elf_paths.push_back(elf.string());
  }
  return result;
}

}  // namespace tinysim::importer
