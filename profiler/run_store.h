// RunStore: the SQLite database of profiled runs behind `tinysim history`, `tinysim diff` and
// (later) gate and compare.
//
// One file, by default $XDG_DATA_HOME/tinysim/runs.db (else ~/.local/share/tinysim/runs.db).
// Each run keeps its whole Profile as the JSON document of docs/profile-json.md plus columns to
// query by (firmware hash, board, tool version, git commit, time, cycles) and one row per
// operator and per metric. The schema is versioned with PRAGMA user_version and upgraded by
// numbered migrations when opened; a database from a newer tinysim is refused, not touched.
//
// Safety: WAL journal, a busy timeout, and every write in one IMMEDIATE transaction, so
// concurrent writers (threads with their own RunStore, or processes) serialise, and a process
// killed mid-write leaves the last committed state. A file that is not a SQLite database, or a
// damaged one, gives StoreError::kDamaged with a message saying what to do.
//
// Not thread-safe: one RunStore per thread (they may share the file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "profiler/profile.h"

struct sqlite3;

namespace tinysim::profiler {

enum class StoreError {
  kOk,
  kDamaged,      // not a SQLite database, corrupt, or not a tinysim run store
  kNewerSchema,  // written by a newer tinysim (schema version above ours)
  kBusy,         // locked by another writer for longer than the busy timeout
  kIo,           // cannot create or open the file or its directory
  kNotFound,     // no run with that id
  kBadProfile,   // a stored profile that cannot be read back
};

class StoreStatus {
 public:
  StoreStatus() = default;
  StoreStatus(StoreError code, std::string message) : code_(code), message_(std::move(message)) {}
  bool is_ok() const { return code_ == StoreError::kOk; }
  StoreError code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StoreError code_ = StoreError::kOk;
  std::string message_;
};

template <typename T>
class StoreOr {
 public:
  StoreOr(T value) : value_(std::move(value)) {}               // NOLINT: implicit by design
  StoreOr(StoreStatus status) : status_(std::move(status)) {}  // NOLINT
  bool is_ok() const { return value_.has_value(); }
  const StoreStatus& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }

 private:
  std::optional<T> value_;
  StoreStatus status_;
};

// Where and when a run was made, stored beside its profile.
struct RunMetadata {
  std::string created_at;  // ISO 8601 UTC, "2024-05-01T12:34:56Z"
  std::string git_commit;  // "" when the working directory is not in a git repository
  std::string git_branch;
  bool git_dirty = false;  // uncommitted changes in the working tree
};

// The queryable columns of a stored run.
struct RunRecord {
  int64_t id = 0;
  std::string created_at;
  std::string firmware_path;
  std::string firmware_hash;
  std::string board;
  std::string tool_version;
  std::string git_commit, git_branch;
  bool git_dirty = false;
  std::string stop_reason;
  bool partial = false;
  uint64_t cycles = 0;
  uint64_t instructions = 0;
  size_t operators = 0;
};

struct RunFilter {
  std::string firmware_hash;  // "" = any
  std::string board;          // "" = any
  size_t limit = 20;          // newest first
};

class RunStore {
 public:
  // The schema version this tinysim writes.
  static constexpr int kSchemaVersion = 2;
  // $XDG_DATA_HOME/tinysim/runs.db, else $HOME/.local/share/tinysim/runs.db.
  static std::filesystem::path default_path();

  // Opens (creating the file and its directory if needed) and upgrades the schema.
  // `schema_version`: upgrade only this far (tests of the migrations); default the latest.
  static StoreOr<std::unique_ptr<RunStore>> open(const std::filesystem::path& path,
                                                 int schema_version = kSchemaVersion);
  ~RunStore();
  RunStore(const RunStore&) = delete;
  RunStore& operator=(const RunStore&) = delete;

  // Stores a run; returns its id.
  StoreOr<int64_t> add(const Profile& profile, const RunMetadata& metadata);
  // Runs, newest first.
  StoreOr<std::vector<RunRecord>> list(const RunFilter& filter = {});
  StoreOr<RunRecord> record(int64_t id);
  StoreOr<Profile> load(int64_t id);
  // PRAGMA integrity_check: ok, or kDamaged with SQLite's findings.
  StoreStatus integrity_check();
  // The schema version of the open file.
  int schema_version() const { return version_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  RunStore(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  StoreStatus error(int rc, const std::string& doing) const;
  StoreStatus exec(const char* sql, const std::string& doing);
  StoreStatus migrate(int target);

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  int version_ = 0;
};

// Creation time (now) and the git state of `directory` (commit, branch, dirty), read with the
// git command when it is installed; empty git fields otherwise.
RunMetadata collect_run_metadata(const std::filesystem::path& directory);

}  // namespace tinysim::profiler
