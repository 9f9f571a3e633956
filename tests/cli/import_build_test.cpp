// `tinysim import MODEL.tflite -o DIR --build VARIANT`: a model that is not bundled becomes
// firmware through the cross build (workloads/importer/firmware_builder.h). The oracle is the
// bundled KWS firmware built from the same model bytes by the project's own cross build: the
// imported copy, under another name, must print the same output for the same command line
// (and, being the same code, take the same instructions and cycles).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_runner.h"

namespace tinysim {
namespace {

namespace fs = std::filesystem;
using test::run_cli;

const std::string kCli = TINYSIM_CLI;
const fs::path kFirmwareDir = TINYSIM_FIRMWARE_DIR;
const fs::path kKwsModel = fs::path(TINYSIM_SOURCE_DIR) / "workloads/models/kws_ref_model.tflite";

class ImportBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::temp_path("import-build", "dir");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    model_ = dir_ / "renamed_keywords.tflite";
    fs::copy_file(kKwsModel, model_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  fs::path model_;
};

TEST_F(ImportBuildTest, RenamedKwsModelBuildsAndRunsLikeTheBundledFirmware) {
  const fs::path out = dir_ / "out";
  const test::CliResult built =
      run_cli(kCli, "import-build",
              "import " + model_.string() + " -o " + out.string() + " --build cortex-m4f");
  ASSERT_EQ(built.exit_code, 0) << built.err;
  const fs::path elf = out / "renamed_keywords-cortex-m4f.elf";
  EXPECT_EQ(built.out, elf.string() + "\n");
  ASSERT_TRUE(fs::is_regular_file(elf)) << built.err;
  EXPECT_NE(built.err.find("compiling renamed_keywords-cortex-m4f.elf"), std::string::npos)
      << built.err;

  for (const std::string seed : {"1", "7"}) {
    const test::CliResult imported =
        run_cli(kCli, "import-build", "run " + elf.string() + " -- " + seed);
    const test::CliResult bundled =
        run_cli(kCli, "import-build",
                "run " + (kFirmwareDir / "kws_ref_model-cortex-m4f.elf").string() + " -- " + seed);
    ASSERT_EQ(bundled.exit_code, 0) << bundled.err;
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_EQ(imported.out.rfind("output: ", 0), 0u) << imported.out;
    EXPECT_EQ(imported.out, bundled.out) << "seed " << seed;
    // Same code from the same cross build: the run report's instruction and cycle counts match.
    for (const std::string key : {"  instructions ", "  cycles "}) {
      const size_t a = imported.err.find(key), b = bundled.err.find(key);
      ASSERT_NE(a, std::string::npos) << imported.err;
      ASSERT_NE(b, std::string::npos) << bundled.err;
      EXPECT_EQ(imported.err.substr(a, imported.err.find('\n', a) - a),
                bundled.err.substr(b, bundled.err.find('\n', b) - b));
    }
  }
}

TEST_F(ImportBuildTest, UnknownVariantIsABuildErrorListingTheKnownOnes) {
  const test::CliResult r = run_cli(
      kCli, "import-build",
      "import " + model_.string() + " -o " + (dir_ / "out").string() + " --build cortex-m9");
  EXPECT_EQ(r.exit_code, 109);
  EXPECT_NE(r.err.find("unknown firmware variant 'cortex-m9'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cortex-m33f-stm32"), std::string::npos) << r.err;
}

TEST_F(ImportBuildTest, MissingCrossCompilerNamesTheDebianPackage) {
  // A PATH with cmake and ninja but no arm-none-eabi-gcc.
  const fs::path bin = dir_ / "bin";
  fs::create_directories(bin);
  for (const char* tool : {"cmake", "ninja"}) {
    for (const char* prefix : {"/usr/bin/", "/usr/local/bin/"}) {
      if (fs::exists(fs::path(prefix) / tool)) {
        fs::create_symlink(fs::path(prefix) / tool, bin / tool);
        break;
      }
    }
  }
  const test::CliResult r = run_cli(
      "PATH=" + bin.string() + " " + kCli, "import-build",
      "import " + model_.string() + " -o " + (dir_ / "out").string() + " --build cortex-m4f");
  EXPECT_EQ(r.exit_code, 109);
  EXPECT_NE(r.err.find("gcc-arm-none-eabi"), std::string::npos) << r.err;
}

TEST_F(ImportBuildTest, MalformedModelFailsAsImportDoes) {
  fs::resize_file(model_, 100);
  const test::CliResult r = run_cli(
      kCli, "import-build",
      "import " + model_.string() + " -o " + (dir_ / "out").string() + " --build cortex-m4f");
  EXPECT_EQ(r.exit_code, 122) << r.err;
}

}  // namespace
}  // namespace tinysim
