// FirmwareBuilder: an imported model as firmware, `<name>-<variant>.elf`, in one call.
//
//   .tflite --import_model--> <dir>/<name>.c/.h --cmake (workloads/model_target)--> ELF
//
// The cross build is the same as the bundled models' (cmake/TinysimFirmware.cmake): the runtime,
// the tinysim_nn kernels and workloads/models/main.c, compiled with arm-none-eabi-gcc for one
// core or board variant. `cmake`, `ninja` and `arm-none-eabi-gcc` are looked up on PATH when
// the build runs; the project source tree is the one this library was built from
// (TINYSIM_SOURCE_DIR), overridable with the environment variable of the same name.
//
// Contracts: blocking (minutes at most: the kernels compile once per build directory, later
// builds of the same directory are incremental); progress lines go to the callback (one line
// per step, plus the compiler's error output on failure); errors are thrown as ImportError
// (model rejected, as `tinysim import` reports them), OutputError (directory not writable) or
// BuildError (tools missing, compilation or link failed) with a message for the user.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "workloads/importer/import_error.h"
#include "workloads/importer/importer.h"

namespace tinysim::importer {

// The cross build failed or cannot run (cmake or the cross compiler missing).
class BuildError : public std::runtime_error {
 public:
  explicit BuildError(const std::string& message) : std::runtime_error(message) {}
};

struct FirmwareBuildOptions {
  ImportOptions import;  // model, output directory (the ELF goes there too), name, markers
  std::vector<std::string> variants;  // e.g. {"cortex-m4f"}; at least one
  // Work directory of the cross build; empty: <output_dir>/.tinysim-build.
  std::string build_dir;
};

struct FirmwareBuildResult {
  ImportSummary summary;
  std::vector<std::string> elf_paths;  // one per variant, in the order asked
};

using ProgressCallback = std::function<void(const std::string& line)>;

// The core and board variants the cross build knows (cmake/TinysimFirmware.cmake).
const std::vector<std::string>& known_firmware_variants();

// Imports the model and builds one ELF per variant. Throws as described above.
FirmwareBuildResult build_model_firmware(const FirmwareBuildOptions& options,
                                         const ProgressCallback& progress = {});

}  // namespace tinysim::importer
