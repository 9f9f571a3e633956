// Runs the `tinysim` command as a user does, for the CLI test suites: the command line through
// the shell, stdout and stderr captured to files of this test process (ctest runs the tests as
// parallel processes), stdin closed.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tinysim::test {

struct CliResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A file name of this test process's own: "<tmp>/tinysim-<suite>-<pid>-<name>".
inline std::filesystem::path temp_path(const std::string& suite, const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("tinysim-" + suite + "-" + std::to_string(getpid()) + "-" + name);
}

// Runs `<cli> ARGS`, capturing stdout and stderr.
inline CliResult run_cli(const std::string& cli, const std::string& suite,
                         const std::string& args) {
  const auto out = temp_path(suite, "stdout"), err = temp_path(suite, "stderr");
  const std::string cmd =
      cli + " " + args + " >" + out.string() + " 2>" + err.string() + " </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace tinysim::test
