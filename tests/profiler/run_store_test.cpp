// The SQLite run store: round trips, schema migrations, damaged and foreign files, concurrent
// writers (threads and processes) and a writer killed mid-transaction, each followed by
// PRAGMA integrity_check.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "profiler/report.h"
#include "profiler/run_store.h"
#include "profiler_test_util.h"

namespace tinysim::profiler {
namespace {

namespace fs = std::filesystem;

RunFilter all_runs() {
  RunFilter f;
  f.limit = 0;
  return f;
}

const Profile& sample() {
  static const Profile p =
      testing::profile_firmware("prof-calls", "cortex-m4f", "nrf52840-dk", "3").profile;
  return p;
}

class RunStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tinysim-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path db() const { return dir_ / "sub" / "runs.db"; }

  static void exec(const fs::path& path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  static int64_t count(const fs::path& path, const char* table) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* s = nullptr;
    const std::string sql = std::string("SELECT COUNT(*) FROM ") + table;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    int64_t n = -1;
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
  }

  fs::path dir_;
};

TEST_F(RunStoreTest, StoresListsAndLoadsRuns) {
  auto store = RunStore::open(db());
  ASSERT_TRUE(store.is_ok()) << store.status().message();
  EXPECT_EQ(store.value()->schema_version(), RunStore::kSchemaVersion);
  RunMetadata meta;
  meta.created_at = "2024-05-01T12:00:00Z";
  meta.git_commit = "0123456789abcdef0123456789abcdef01234567";
  meta.git_branch = "main";
  meta.git_dirty = true;
  auto id = store.value()->add(sample(), meta);
  ASSERT_TRUE(id.is_ok()) << id.status().message();
  auto id2 = store.value()->add(sample(), {});
  ASSERT_TRUE(id2.is_ok());
  EXPECT_GT(id2.value(), id.value());

  auto runs = store.value()->list();
  ASSERT_TRUE(runs.is_ok());
  ASSERT_EQ(runs.value().size(), 2u);
  EXPECT_EQ(runs.value()[0].id, id2.value());  // newest first
  const RunRecord& r = runs.value()[1];
  EXPECT_EQ(r.created_at, meta.created_at);
  EXPECT_EQ(r.git_commit, meta.git_commit);
  EXPECT_TRUE(r.git_dirty);
  EXPECT_EQ(r.board, "nrf52840-dk");
  EXPECT_EQ(r.firmware_hash, sample().firmware.fnv1a64);
  EXPECT_EQ(r.cycles, sample().total.get_u64(Metric::kCycles));
  EXPECT_EQ(r.operators, 2u);
  EXPECT_FALSE(runs.value()[0].created_at.empty());  // filled in when not given

  auto loaded = store.value()->load(id.value());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  EXPECT_EQ(profile_to_json(loaded.value()), profile_to_json(sample()));
  EXPECT_EQ(store.value()->load(999).status().code(), StoreError::kNotFound);
  EXPECT_EQ(store.value()->record(999).status().code(), StoreError::kNotFound);

  RunFilter filter;
  filter.board = "other-board";
  EXPECT_TRUE(store.value()->list(filter).value().empty());
  filter.board = "";
  filter.limit = 1;
  EXPECT_EQ(store.value()->list(filter).value().size(), 1u);
  EXPECT_TRUE(store.value()->integrity_check().is_ok());
  // Metrics are rows too (schema 2).
  EXPECT_GT(count(db(), "metrics"), 10);
  EXPECT_EQ(count(db(), "operators"), 4);
}

TEST_F(RunStoreTest, UsesWal) {
  { ASSERT_TRUE(RunStore::open(db()).is_ok()); }
  sqlite3* handle = nullptr;
  sqlite3_open(db().c_str(), &handle);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(handle, "PRAGMA journal_mode", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(handle);
}

TEST_F(RunStoreTest, MigratesAnOlderSchema) {
  int64_t old_id = 0;
  {
    auto v1 = RunStore::open(db(), 1);
    ASSERT_TRUE(v1.is_ok()) << v1.status().message();
    EXPECT_EQ(v1.value()->schema_version(), 1);
    old_id = v1.value()->add(sample(), {}).value();
  }
  EXPECT_EQ(count(db(), "metrics"), -1);  // no such table yet
  auto v2 = RunStore::open(db());
  ASSERT_TRUE(v2.is_ok()) << v2.status().message();
  EXPECT_EQ(v2.value()->schema_version(), 2);
  EXPECT_TRUE(v2.value()->load(old_id).is_ok());
  EXPECT_TRUE(v2.value()->add(sample(), {}).is_ok());
  EXPECT_TRUE(v2.value()->integrity_check().is_ok());
  EXPECT_GT(count(db(), "metrics"), 0);
}

TEST_F(RunStoreTest, RefusesANewerSchema) {
  { ASSERT_TRUE(RunStore::open(db()).is_ok()); }
  exec(db(), "PRAGMA user_version = 99");
  auto s = RunStore::open(db());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), StoreError::kNewerSchema);
  EXPECT_NE(s.status().message().find("99"), std::string::npos);
}

TEST_F(RunStoreTest, GarbageFileIsDamaged) {
  fs::create_directories(db().parent_path());
  {
    std::ofstream out(db(), std::ios::binary);
    for (int i = 0; i < 10000; ++i) out.put(static_cast<char>((i * 7919) & 0xff));
  }
  auto s = RunStore::open(db());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), StoreError::kDamaged);
  EXPECT_NE(s.status().message().find(db().string()), std::string::npos);
  EXPECT_NE(s.status().message().find("--db"), std::string::npos);
}

TEST_F(RunStoreTest, TruncatedFileIsDamaged) {
  {
    auto store = RunStore::open(db());
    ASSERT_TRUE(store.is_ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(store.value()->add(sample(), {}).is_ok());
  }
  // Fold the WAL into the main file, then cut the file in half.
  exec(db(), "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE");
  const auto size = fs::file_size(db());
  ASSERT_GT(size, 8192u);
  fs::resize_file(db(), size / 2);
  auto store = RunStore::open(db());
  StoreStatus status;
  if (!store.is_ok()) {
    status = store.status();
  } else {
    auto runs = store.value()->list(all_runs());
    status = runs.is_ok() ? store.value()->integrity_check() : runs.status();
    if (status.is_ok()) {
      for (const RunRecord& r : runs.value()) {
        auto p = store.value()->load(r.id);
        if (!p.is_ok()) {
          status = p.status();
          break;
        }
      }
    }
  }
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StoreError::kDamaged) << status.message();
}

TEST_F(RunStoreTest, ForeignDatabaseIsRefused) {
  fs::create_directories(db().parent_path());
  exec(db(), "CREATE TABLE accounts (id INTEGER, owner TEXT)");
  auto s = RunStore::open(db());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), StoreError::kDamaged);
  EXPECT_NE(s.status().message().find("not a tinysim run store"), std::string::npos);
}

TEST_F(RunStoreTest, DirectoryInsteadOfFile) {
  fs::create_directories(db());
  auto s = RunStore::open(db());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), StoreError::kIo);
}

TEST_F(RunStoreTest, ConcurrentWritersInThreads) {
  constexpr int kThreads = 4, kRuns = 15;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> ids(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto store = RunStore::open(db());  // each thread its own connection
      if (!store.is_ok()) {
        ++failures;
        return;
      }
      for (int i = 0; i < kRuns; ++i) {
        auto id = store.value()->add(sample(), {});
        if (!id.is_ok()) {
          ++failures;
          continue;
        }
        ids[size_t(t)].push_back(id.value());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<int64_t> unique;
  for (const auto& v : ids) unique.insert(v.begin(), v.end());
  EXPECT_EQ(unique.size(), size_t(kThreads * kRuns));
  auto store = RunStore::open(db());
  ASSERT_TRUE(store.is_ok());
  EXPECT_TRUE(store.value()->integrity_check().is_ok());
  EXPECT_EQ(store.value()->list(all_runs()).value().size(), size_t(kThreads * kRuns));
  EXPECT_EQ(count(db(), "operators"), 2 * kThreads * kRuns);
}

TEST_F(RunStoreTest, ConcurrentWritersInProcesses) {
  constexpr int kChildren = 3, kRuns = 10;
  (void)sample();  // computed before fork
  std::vector<pid_t> children;
  for (int c = 0; c < kChildren; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child: a fresh connection (not one inherited across fork), then exit at once.
      auto store = RunStore::open(db());
      int failed = store.is_ok() ? 0 : 1;
      for (int i = 0; i < kRuns && store.is_ok(); ++i) {
        failed += !store.value()->add(sample(), {}).is_ok();
      }
      ::_exit(failed ? 1 : 0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto store = RunStore::open(db());
  ASSERT_TRUE(store.is_ok());
  EXPECT_TRUE(store.value()->integrity_check().is_ok());
  EXPECT_EQ(store.value()->list(all_runs()).value().size(), size_t(kChildren * kRuns));
}

TEST_F(RunStoreTest, AWriterKilledMidWayLeavesTheLastCommit) {
  (void)sample();  // computed before fork
  { ASSERT_TRUE(RunStore::open(db()).is_ok()); }
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = RunStore::open(db());
    while (store.is_ok()) store.value()->add(sample(), {});
    ::_exit(1);
  }
  // Let it commit some runs, then kill it wherever it is (likely inside a transaction).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (count(db(), "runs") < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto store = RunStore::open(db());
  ASSERT_TRUE(store.is_ok()) << store.status().message();
  EXPECT_TRUE(store.value()->integrity_check().is_ok());
  auto runs = store.value()->list(all_runs());
  ASSERT_TRUE(runs.is_ok());
  EXPECT_GE(runs.value().size(), 5u);
  for (const RunRecord& r : runs.value()) {
    // Every committed run is whole: its operators and its profile.
    EXPECT_EQ(r.operators, 2u) << r.id;
    EXPECT_TRUE(store.value()->load(r.id).is_ok()) << r.id;
  }
  EXPECT_TRUE(store.value()->add(sample(), {}).is_ok());
}

TEST(RunStorePath, FollowsXdgDataHome) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const std::string saved = old_xdg ? old_xdg : "";
  ::setenv("XDG_DATA_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(RunStore::default_path(), fs::path("/tmp/xdg-test/tinysim/runs.db"));
  ::setenv("XDG_DATA_HOME", "relative/ignored", 1);  // the spec wants absolute paths
  const char* home = std::getenv("HOME");
  if (home) {
    EXPECT_EQ(RunStore::default_path(), fs::path(home) / ".local/share/tinysim/runs.db");
  }
  if (old_xdg) {
    ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_DATA_HOME");
  }
}

TEST(RunMetadata, GitStateOfADirectory) {
  const RunMetadata m = collect_run_metadata(TINYSIM_SOURCE_DIR);
  EXPECT_EQ(m.created_at.size(), 20u);  // 2024-05-01T12:34:56Z
  if (!m.git_commit.empty()) {
    EXPECT_EQ(m.git_commit.size(), 40u);
    EXPECT_FALSE(m.git_branch.empty());
  }
  const RunMetadata none = collect_run_metadata("/");
  EXPECT_TRUE(none.git_commit.empty());
}

}  // namespace
}  // namespace tinysim::profiler
