#include "profiler/run_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "profiler/report.h"

namespace tinysim::profiler {
namespace {

constexpr int kBusyTimeoutMs = 10000;

// Migration i takes the schema from version i to version i + 1. Never edit a shipped one: add
// the next.
constexpr const char* kMigrations[] = {
    // 1: runs with their profile document, and their operators.
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL,
  firmware_path TEXT NOT NULL,
  firmware_hash TEXT NOT NULL,
  board TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  git_commit TEXT NOT NULL,
  git_branch TEXT NOT NULL,
  git_dirty INTEGER NOT NULL,
  stop_reason TEXT NOT NULL,
  partial INTEGER NOT NULL,
  cycles INTEGER NOT NULL,
  instructions INTEGER NOT NULL,
  profile_schema TEXT NOT NULL,
  profile TEXT NOT NULL
);
CREATE INDEX runs_by_firmware_board ON runs(firmware_hash, board, id);
CREATE TABLE operators (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  op_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  invocations INTEGER NOT NULL,
  cycles INTEGER NOT NULL,
  instructions INTEGER NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
)sql",
    // 2: every metric of the total and of each operator as a row, so metrics added later
    // (stall cycles, energy) are queryable without a schema change. Runs stored at version 1
    // keep only their document.
    R"sql(
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  position INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, scope, position, key)
) WITHOUT ROWID;
)sql",
};
static_assert(std::size(kMigrations) == RunStore::kSchemaVersion);

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  int prepared() const { return rc_; }
  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind_double(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t i64(int c) const { return sqlite3_column_int64(stmt_, c); }
  std::string text(int c) const {
    const unsigned char* t = sqlite3_column_text(stmt_, c);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, c)))
             : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

std::string now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// Runs a read-only command, returns its first line of output ("" on failure).
std::string first_line_of(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {};
  std::array<char, 512> buffer{};
  std::string out;
  if (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe)) out = buffer.data();
  const int status = ::pclose(pipe);
  if (status != 0) return {};
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
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

RunRecord record_from(const Statement& s) {
  RunRecord r;
  r.id = s.i64(0);
  r.created_at = s.text(1);
  r.firmware_path = s.text(2);
  r.firmware_hash = s.text(3);
  r.board = s.text(4);
  r.tool_version = s.text(5);
  r.git_commit = s.text(6);
  r.git_branch = s.text(7);
  r.git_dirty = s.i64(8) != 0;
  r.stop_reason = s.text(9);
  r.partial = s.i64(10) != 0;
  r.cycles = static_cast<uint64_t>(s.i64(11));
  r.instructions = static_cast<uint64_t>(s.i64(12));
  r.operators = static_cast<size_t>(s.i64(13));
  return r;
}

constexpr const char* kRecordColumns =
    "id, created_at, firmware_path, firmware_hash, board, tool_version, git_commit, git_branch, "
    "git_dirty, stop_reason, partial, cycles, instructions, "
    "(SELECT COUNT(*) FROM operators o WHERE o.run_id = runs.id)";

}  // namespace

std::filesystem::path RunStore::default_path() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/') {
    return std::filesystem::path(xdg) / "tinysim" / "runs.db";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "tinysim" /
         "runs.db";
}

StoreStatus RunStore::error(int rc, const std::string& doing) const {
  const std::string what = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
      return {StoreError::kDamaged,
              fmt::format("run store {} is damaged or not a tinysim database ({}, while {}); "
                          "move it aside (tinysim then starts a new one) or pass --db PATH",
                          path_.string(), what, doing)};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {StoreError::kBusy,
              fmt::format("run store {} stayed locked by another writer for more than {} s "
                          "(while {})",
                          path_.string(), kBusyTimeoutMs / 1000, doing)};
    default:
      return {StoreError::kIo,
              fmt::format("run store {}: {} (while {})", path_.string(), what, doing)};
  }
}

StoreStatus RunStore::exec(const char* sql, const std::string& doing) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? StoreStatus{} : error(rc, doing);
}

StoreOr<std::unique_ptr<RunStore>> RunStore::open(const std::filesystem::path& path,
                                                  int schema_version) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return StoreStatus(StoreError::kIo,
                       fmt::format("run store {}: cannot create {}: {}", path.string(),
                                   path.parent_path().string(), ec.message()));
  }
  if (std::filesystem::is_directory(path, ec)) {
    return StoreStatus(StoreError::kIo,
                       fmt::format("run store {} is a directory, not a file", path.string()));
  }
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<RunStore> store(new RunStore(db, path));
  if (rc != SQLITE_OK) return store->error(rc, "opening");
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  // WAL: readers never block the writer; a killed writer leaves the last commit intact.
  if (StoreStatus s = store->exec("PRAGMA journal_mode=WAL", "setting the WAL journal");
      !s.is_ok()) {
    return s;
  }
  if (StoreStatus s =
          store->exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", "configuring");
      !s.is_ok()) {
    return s;
  }
  if (StoreStatus s = store->migrate(std::min(schema_version, kSchemaVersion)); !s.is_ok()) {
    return s;
  }
  return store;
}

StoreStatus RunStore::migrate(int target) {
  // Read the version and upgrade inside one write transaction: concurrent openers serialise, and
  // the second sees the first one's work.
  if (StoreStatus s = exec("BEGIN IMMEDIATE", "starting the schema check"); !s.is_ok()) return s;
  auto fail = [&](StoreStatus s) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return s;
  };
  int version = 0;
  int tables = 0;
  {
    Statement v(db_, "PRAGMA user_version");
    if (v.prepared() != SQLITE_OK) return fail(error(v.prepared(), "reading the schema version"));
    const int rc = v.step();
    if (rc != SQLITE_ROW) return fail(error(rc, "reading the schema version"));
    version = static_cast<int>(v.i64(0));
    Statement t(db_, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'");
    if (t.prepared() != SQLITE_OK) return fail(error(t.prepared(), "reading the schema"));
    if (t.step() == SQLITE_ROW) tables = static_cast<int>(t.i64(0));
  }
  if (version > kSchemaVersion) {
    return fail({StoreError::kNewerSchema,
                 fmt::format("run store {} has schema version {}, newer than this tinysim's {}: "
                             "use a newer tinysim or another --db",
                             path_.string(), version, kSchemaVersion)});
  }
  if (version == 0 && tables > 0) {
    return fail({StoreError::kDamaged,
                 fmt::format("run store {} is a SQLite database but not a tinysim run store "
                             "(it has tables and no tinysim schema version); pass another --db",
                             path_.string())});
  }
  const int start = version;
  for (; version < target; ++version) {
    if (StoreStatus s =
            exec(kMigrations[version], fmt::format("migrating to schema version {}", version + 1));
        !s.is_ok()) {
      return fail(s);
    }
  }
  if (version != start) {
    const std::string sql = fmt::format("PRAGMA user_version = {}", version);
    if (StoreStatus s = exec(sql.c_str(), "recording the schema version"); !s.is_ok()) {
      return fail(s);
    }
  }
  if (StoreStatus s = exec("COMMIT", "committing the schema"); !s.is_ok()) return fail(s);
  version_ = version;
  return {};
}

RunStore::~RunStore() {
  if (db_) sqlite3_close_v2(db_);
}

StoreOr<int64_t> RunStore::add(const Profile& profile, const RunMetadata& metadata) {
  const std::string document = profile_to_json(profile).dump();
  if (StoreStatus s = exec("BEGIN IMMEDIATE", "starting to store a run"); !s.is_ok()) return s;
  auto fail = [&](StoreStatus s) -> StoreOr<int64_t> {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return s;
  };
  int64_t id = 0;
  {
    Statement insert(db_,
                     "INSERT INTO runs (created_at, firmware_path, firmware_hash, board, "
                     "tool_version, git_commit, git_branch, git_dirty, stop_reason, partial, "
                     "cycles, instructions, profile_schema, profile) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    if (insert.prepared() != SQLITE_OK) return fail(error(insert.prepared(), "storing a run"));
    insert.bind(1, metadata.created_at.empty() ? now_iso8601() : metadata.created_at);
    insert.bind(2, profile.firmware.path);
    insert.bind(3, profile.firmware.fnv1a64);
    insert.bind(4, profile.board.name);
    insert.bind(5, profile.tool_version);
    insert.bind(6, metadata.git_commit);
    insert.bind(7, metadata.git_branch);
    insert.bind(8, int64_t{metadata.git_dirty});
    insert.bind(9, profile.run.stop_reason);
    insert.bind(10, int64_t{profile.run.partial});
    insert.bind(11, static_cast<int64_t>(profile.total.get(Metric::kCycles)));
    insert.bind(12, static_cast<int64_t>(profile.total.get(Metric::kInstructions)));
    insert.bind(13, profile.schema);
    insert.bind(14, document);
    if (const int rc = insert.step(); rc != SQLITE_DONE) return fail(error(rc, "storing a run"));
    id = sqlite3_last_insert_rowid(db_);
  }
  {
    Statement op(db_,
                 "INSERT INTO operators (run_id, position, op_index, name, kind, invocations, "
                 "cycles, instructions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (op.prepared() != SQLITE_OK) return fail(error(op.prepared(), "storing operators"));
    for (size_t i = 0; i < profile.operators.size(); ++i) {
      const OperatorProfile& o = profile.operators[i];
      op.reset();
      op.bind(1, id);
      op.bind(2, static_cast<int64_t>(i));
      op.bind(3, static_cast<int64_t>(o.index));
      op.bind(4, o.name);
      op.bind(5, o.kind);
      op.bind(6, static_cast<int64_t>(o.invocations));
      op.bind(7, static_cast<int64_t>(o.metrics.get(Metric::kCycles)));
      op.bind(8, static_cast<int64_t>(o.metrics.get(Metric::kInstructions)));
      if (const int rc = op.step(); rc != SQLITE_DONE) return fail(error(rc, "storing operators"));
    }
  }
  if (version_ >= 2) {
    Statement m(db_,
                "INSERT INTO metrics (run_id, scope, position, key, value) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (m.prepared() != SQLITE_OK) return fail(error(m.prepared(), "storing metrics"));
    auto put = [&](const char* scope, int64_t position, const Metrics& metrics) {
      for (const MetricInfo& info : all_metrics()) {
        if (!metrics.has(info.metric)) continue;
        m.reset();
        m.bind(1, id);
        m.bind(2, std::string(scope));
        m.bind(3, position);
        m.bind(4, std::string(info.key));
        m.bind_double(5, metrics.get(info.metric));
        if (const int rc = m.step(); rc != SQLITE_DONE) return rc;
      }
      return int{SQLITE_DONE};
    };
    int rc = put("total", -1, profile.total);
    if (rc == SQLITE_DONE) rc = put("outside_operators", -1, profile.outside_operators);
    for (size_t i = 0; rc == SQLITE_DONE && i < profile.operators.size(); ++i) {
      rc = put("operator", static_cast<int64_t>(i), profile.operators[i].metrics);
    }
    if (rc != SQLITE_DONE) return fail(error(rc, "storing metrics"));
  }
  if (StoreStatus s = exec("COMMIT", "committing a run"); !s.is_ok()) return fail(s);
  return id;
}

StoreOr<std::vector<RunRecord>> RunStore::list(const RunFilter& filter) {
  const std::string sql = fmt::format(
      "SELECT {} FROM runs WHERE (?1 = '' OR firmware_hash = ?1) AND (?2 = '' OR board = ?2) "
      "ORDER BY id DESC LIMIT ?3",
      kRecordColumns);
  Statement s(db_, sql.c_str());
  if (s.prepared() != SQLITE_OK) return error(s.prepared(), "listing runs");
  s.bind(1, filter.firmware_hash);
  s.bind(2, filter.board);
  s.bind(3, static_cast<int64_t>(filter.limit ? filter.limit : INT64_MAX));
  std::vector<RunRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(record_from(s));
  if (rc != SQLITE_DONE) return error(rc, "listing runs");
  return out;
}

StoreOr<RunRecord> RunStore::record(int64_t id) {
  const std::string sql = fmt::format("SELECT {} FROM runs WHERE id = ?1", kRecordColumns);
  Statement s(db_, sql.c_str());
  if (s.prepared() != SQLITE_OK) return error(s.prepared(), "reading a run");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return record_from(s);
  if (rc == SQLITE_DONE) {
    return StoreStatus(StoreError::kNotFound,
                       fmt::format("run store {} has no run {}", path_.string(), id));
  }
  return error(rc, "reading a run");
}

StoreOr<Profile> RunStore::load(int64_t id) {
  Statement s(db_, "SELECT profile FROM runs WHERE id = ?1");
  if (s.prepared() != SQLITE_OK) return error(s.prepared(), "reading a run");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_DONE) {
    return StoreStatus(StoreError::kNotFound,
                       fmt::format("run store {} has no run {}", path_.string(), id));
  }
  if (rc != SQLITE_ROW) return error(rc, "reading a run");
  const nlohmann::json document = nlohmann::json::parse(s.text(0), nullptr, false);
  if (document.is_discarded()) {
    return StoreStatus(
        StoreError::kBadProfile,
        fmt::format("run {} in {}: the stored profile is not JSON", id, path_.string()));
  }
  auto profile = profile_from_json(document);
  if (!profile.is_ok()) {
    return StoreStatus(StoreError::kBadProfile, fmt::format("run {} in {}: {}", id, path_.string(),
                                                            profile.status().message()));
  }
  return std::move(profile.value());
}

StoreStatus RunStore::integrity_check() {
  Statement s(db_, "PRAGMA integrity_check");
  if (s.prepared() != SQLITE_OK) return error(s.prepared(), "checking integrity");
  std::string findings;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    const std::string row = s.text(0);
    if (row != "ok") findings += (findings.empty() ? "" : "; ") + row;
  }
  if (rc != SQLITE_DONE) return error(rc, "checking integrity");
  if (!findings.empty()) {
    return {StoreError::kDamaged,
            fmt::format("run store {} failed its integrity check: {}", path_.string(), findings)};
  }
  return {};
}

RunMetadata collect_run_metadata(const std::filesystem::path& directory) {
  RunMetadata m;
  m.created_at = now_iso8601();
  // Read-only git commands; --no-optional-locks keeps `status` from refreshing the index.
  const std::string git = "git --no-optional-locks -C " + shell_quote(directory.string()) + " ";
  m.git_commit = first_line_of(git + "rev-parse --verify -q HEAD 2>/dev/null");
  if (m.git_commit.empty()) return m;
  m.git_branch = first_line_of(git + "rev-parse --abbrev-ref HEAD 2>/dev/null");
  m.git_dirty = !first_line_of(git + "status --porcelain --untracked-files=no 2>/dev/null").empty();
  return m;
}

}  // namespace tinysim::profiler
