// `tinysim profile`, `history` and `diff` as a user runs them: formats to files, the run store
// and its errors, exit codes, and Ctrl-C keeping a partial profile.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "json_schema.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fw(const std::string& name) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + ".elf";
}

class ProfileCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tinysim-cli-profile-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  struct Result {
    int exit_code = -1;
    std::string out, err;
  };
  // Runs tinysim with `args`; XDG_DATA_HOME points into the test's directory so the user's
  // run store is never touched.
  Result tinysim(const std::string& args) {
    const std::string cmd = "XDG_DATA_HOME=" + (dir_ / "xdg").string() + " " + TINYSIM_CLI + " " +
                            args + " >" + (dir_ / "out").string() + " 2>" +
                            (dir_ / "err").string() + " </dev/null";
    const int status = std::system(cmd.c_str());
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(dir_ / "out");
    r.err = slurp(dir_ / "err");
    return r;
  }
  std::string db() const { return (dir_ / "runs.db").string(); }

  fs::path dir_;
};

TEST_F(ProfileCli, TableToStdoutAndTheRunIsStored) {
  const Result r = tinysim("profile " + fw("prof-calls-cortex-m4f") + " --db " + db() + " -- 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("leaf_loop"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Functions"), std::string::npos);
  // The firmware's console goes to stderr, so stdout stays the report.
  EXPECT_NE(r.err.find("svc 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stored as run 1"), std::string::npos) << r.err;
  const Result h = tinysim("history --db " + db());
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("prof-calls-cortex-m4f.elf"), std::string::npos) << h.out;
  const Result j = tinysim("history --json --db " + db());
  const json runs = json::parse(j.out);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["operators"], 2);
}

TEST_F(ProfileCli, DefaultStoreFollowsXdgDataHome) {
  ASSERT_EQ(tinysim("profile " + fw("prof-calls-cortex-m4f") + " -- 1").exit_code, 0);
  EXPECT_TRUE(fs::exists(dir_ / "xdg" / "tinysim" / "runs.db"));
  ASSERT_EQ(tinysim("profile --no-db " + fw("prof-calls-cortex-m4f") + " --db " + db() + " -- 1")
                .exit_code,
            0);
  EXPECT_FALSE(fs::exists(db()));
}

TEST_F(ProfileCli, EveryFormatToAFile) {
  std::ifstream schema_in(std::string(TINYSIM_SOURCE_DIR) + "/docs/profile.schema.json");
  const json schema = json::parse(schema_in);
  for (const char* format :
       {"table", "json", "csv", "chrome-trace", "folded", "markdown", "junit"}) {
    const fs::path out = dir_ / (std::string("report.") + format);
    const Result r = tinysim("profile " + fw("prof-memory-cortex-m0plus") +
                             " -b nucleo-g071rb --no-db -f " + format + " -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << format;
    const std::string text = slurp(out);
    EXPECT_FALSE(text.empty()) << format;
    if (std::string(format) == "json") {
      const auto errors = tinysim::testing::validate_json(schema, json::parse(text));
      EXPECT_TRUE(errors.empty()) << errors.front();
    }
    if (std::string(format) == "chrome-trace") {
      EXPECT_TRUE(json::parse(text)["traceEvents"].is_array());
    }
    if (std::string(format) == "junit") {
      EXPECT_EQ(text.rfind("<?xml", 0), 0u);
    }
  }
}

TEST_F(ProfileCli, DiffOfTwoRunsAndOfProfileFiles) {
  const fs::path a = dir_ / "a.json", b = dir_ / "b.json";
  ASSERT_EQ(tinysim("profile " + fw("prof-calls-cortex-m4f") + " --db " + db() + " -f json -o " +
                    a.string() + " -- 2")
                .exit_code,
            0);
  ASSERT_EQ(tinysim("profile " + fw("prof-calls-cortex-m4f") + " --db " + db() + " -f json -o " +
                    b.string() + " -- 6")
                .exit_code,
            0);
  const Result d = tinysim("diff 1 2 --db " + db());
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.out.find("leaf_loop"), std::string::npos);
  EXPECT_NE(d.out.find("+"), std::string::npos);
  const Result files = tinysim("diff " + a.string() + " " + b.string() + " -f json");
  ASSERT_EQ(files.exit_code, 0) << files.err;
  const json j = json::parse(files.out);
  EXPECT_EQ(j["schema"], "tinysim.diff/1");
  EXPECT_GT(j["operators"][0]["b"]["cycles"].get<uint64_t>(),
            j["operators"][0]["a"]["cycles"].get<uint64_t>());
  EXPECT_EQ(tinysim("diff 1 42 --db " + db()).exit_code, 2);
  EXPECT_EQ(tinysim("diff 1 /no/such.json --db " + db()).exit_code, 2);
}

TEST_F(ProfileCli, DamagedStoreHasItsOwnExitCode) {
  {
    std::ofstream out(db());
    out << "this is not a database, just text that happens to be long enough to have a header"
        << std::string(5000, 'x');
  }
  const Result r = tinysim("profile " + fw("prof-calls-cortex-m4f") + " --db " + db() + " -- 1");
  EXPECT_EQ(r.exit_code, 123) << r.err;
  EXPECT_NE(r.err.find("damaged"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("leaf_loop"), std::string::npos);  // the report is still written
  EXPECT_EQ(tinysim("history --db " + db()).exit_code, 123);
}

TEST_F(ProfileCli, BadArguments) {
  EXPECT_EQ(tinysim("profile " + fw("prof-calls-cortex-m4f") + " --no-db -f xml").exit_code, 2);
  EXPECT_EQ(tinysim("profile /no/such.elf --no-db").exit_code, 111);
  EXPECT_EQ(
      tinysim("profile " + fw("prof-calls-cortex-m4f") + " --no-db -b no-such-board").exit_code,
      113);
  const Result rules =
      tinysim("profile " + fw("prof-rules-cortex-m4f") + " --no-db --rules /no/such.toml");
  EXPECT_EQ(rules.exit_code, 2);
  EXPECT_NE(rules.err.find("/no/such.toml"), std::string::npos);
}

TEST_F(ProfileCli, UserRules) {
  const Result r = tinysim("profile " + fw("prof-rules-cortex-m4f") + " --no-db -f json --rules " +
                           std::string(TINYSIM_SOURCE_DIR) + "/tests/profiler/custom_rules.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json p = json::parse(r.out);
  EXPECT_EQ(p["attribution"]["operators"], "rules");
  ASSERT_EQ(p["operators"].size(), 5u);
  EXPECT_EQ(p["operators"][4]["kind"], "CUSTOM");
}

TEST_F(ProfileCli, BudgetEndingsArePartial) {
  const Result r = tinysim("profile " + fw("prof-calls-cortex-m4f") +
                           " --no-db -f json --max-cycles 4000 -- 1000");
  EXPECT_EQ(r.exit_code, 117);
  const json p = json::parse(r.out);
  EXPECT_TRUE(p["run"]["partial"].get<bool>());
  EXPECT_EQ(p["run"]["stop_reason"], "cycle-budget");
  EXPECT_NE(r.err.find("cycle budget"), std::string::npos);
}

TEST_F(ProfileCli, CtrlCStopsAndKeepsThePartialProfile) {
  const fs::path out = dir_ / "partial.json";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    const std::string db_arg = db(), out_arg = out.string(), firmware = fw("prof-calls-cortex-m4f");
    ::execl(TINYSIM_CLI, TINYSIM_CLI, "profile", firmware.c_str(), "--db", db_arg.c_str(), "-f",
            "json", "-o", out_arg.c_str(), "--", "1000000000", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 124);
  const json p = json::parse(slurp(out));
  EXPECT_TRUE(p["run"]["partial"].get<bool>());
  EXPECT_EQ(p["run"]["stop_reason"], "cancelled");
  EXPECT_GT(p["total"]["cycles"].get<uint64_t>(), 0u);
  bool warned = false;
  for (const auto& w : p["warnings"])
    warned |= w.get<std::string>().find("Ctrl-C") != std::string::npos;
  EXPECT_TRUE(warned);
  // Stored, labelled partial.
  const Result h = tinysim("history --db " + db());
  EXPECT_NE(h.out.find("cancelled (partial)"), std::string::npos) << h.out;
}

}  // namespace
