#include "sim/catalog.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

namespace tinysim::sim {
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// The composed tree. Each file is parsed into a tree of Nodes in which every leaf knows its file
// and its resolved Source (the nearest `source` of the same file: the value's own inline
// `{ value = ..., source = ... }`, else its table's, else an enclosing table's). Composition
// overlays the board's tree on the chip's; the typed reader then walks the result.

struct Node {
  const toml::node* value = nullptr;  // a leaf's value (nullptr: a table)
  std::map<std::string, Node> children;
  Source source;
  std::string file;
  bool is_table() const { return value == nullptr; }
};

// Thrown inside the loader only; load functions turn it into a Status.
struct LoadError {
  std::string message;
};

[[noreturn]] void fail(const std::string& file, const std::string& key, const std::string& what) {
  throw LoadError{key.empty() ? fmt::format("{}: {}", file, what)
                              : fmt::format("{}: {}: {}", file, key, what)};
}

std::string join_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date/time";
    default:
      return "nothing";
  }
}

bool is_meta_key(const std::string& key) {
  return key == "source" || key == "estimate" || key == "note";
}

// Applies a table's `source` / `estimate` / `note` to the inherited Source. A table that names
// its own source starts afresh (no inherited estimate or note).
void apply_meta(const toml::table& t, Source& s, const std::string& file, const std::string& path) {
  if (const toml::node* n = t.get("source")) {
    if (!n->is_string())
      fail(file, join_key(path, "source"), fmt::format("expected a string, got {}", type_name(*n)));
    s = Source{n->value<std::string>().value_or(""), false, ""};
    if (s.document.empty()) fail(file, join_key(path, "source"), "empty");
  }
  if (const toml::node* n = t.get("estimate")) {
    if (!n->is_boolean())
      fail(file, join_key(path, "estimate"),
           fmt::format("expected a boolean, got {}", type_name(*n)));
    s.estimate = n->value<bool>().value_or(false);
  }
  if (const toml::node* n = t.get("note")) {
    if (!n->is_string())
      fail(file, join_key(path, "note"), fmt::format("expected a string, got {}", type_name(*n)));
    s.note = n->value<std::string>().value_or("");
  }
}

void build_tree(const toml::table& t, const std::string& file, Source inherited,
                const std::string& path, Node& out) {
  out.file = file;
  apply_meta(t, inherited, file, path);
  out.source = inherited;
  for (auto&& [k, v] : t) {
    const std::string key(k.str());
    if (is_meta_key(key)) continue;
    const std::string dotted = join_key(path, key);
    Node& child = out.children[key];
    child = Node{};
    if (const toml::table* sub = v.as_table()) {
      if (const toml::node* value = sub->get("value")) {
        // { value = ..., source = "...", estimate = ..., note = "..." }: one sourced value.
        for (auto&& [sk, sv] : *sub) {
          if (sk.str() != "value" && !is_meta_key(std::string(sk.str()))) {
            fail(file, dotted + "." + std::string(sk.str()),
                 "unknown key in a sourced value (only value, source, estimate, note)");
          }
        }
        Source s = inherited;
        apply_meta(*sub, s, file, dotted);
        child.value = value;
        child.source = s;
        child.file = file;
        continue;
      }
      build_tree(*sub, file, inherited, dotted, child);
      continue;
    }
    child.value = &v;
    child.source = inherited;
    child.file = file;
  }
}

void overlay(Node& dst, const Node& src) {
  dst.file = src.file;
  if (!src.source.document.empty()) dst.source = src.source;
  for (const auto& [k, v] : src.children) {
    auto it = dst.children.find(k);
    if (it != dst.children.end() && it->second.is_table() && v.is_table()) {
      overlay(it->second, v);
    } else {
      dst.children[k] = v;
    }
  }
}

// A value as TOML text, on one line: strings quoted, hex integers in hex, shortest floats.
std::string toml_text(const toml::node& n) {
  if (const auto* s = n.as_string()) {
    std::string out = "\"";
    for (char c : s->get())
      out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
  }
  if (const auto* i = n.as_integer()) {
    if (!!(i->flags() & toml::value_flags::format_as_hexadecimal)) {
      return fmt::format("0x{:08X}", i->get());
    }
    return std::to_string(i->get());
  }
  if (const auto* f = n.as_floating_point()) return fmt::format("{}", f->get());
  if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* a = n.as_array()) {
    std::string out = "[";
    for (size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + toml_text((*a)[i]);
    return out + "]";
  }
  if (const auto* t = n.as_table()) {
    std::string out = "{ ";
    bool first = true;
    for (auto&& [k, v] : *t) {
      out += (first ? "" : ", ") + std::string(k.str()) + " = " + toml_text(v);
      first = false;
    }
    return out + " }";
  }
  std::ostringstream out;
  n.visit([&](auto&& v) { out << v; });
  return out.str();
}

// ---------------------------------------------------------------------------------------------
// The typed reader: one Table per TOML table, recording which keys it asked for (to report
// unknown keys and list the known ones) and appending every value it reads to the facts.

struct Context {
  std::string board_file;
  std::string chip_file;  // "" when the board has none yet
  std::vector<Fact>* facts = nullptr;
  std::deque<Node> element_nodes;                    // array-of-table elements being read
  std::vector<std::shared_ptr<toml::table>> parsed;  // keep the parsed files alive
};

class Table {
 public:
  Table(const Node* node, std::string path, Context* ctx)
      : node_(node), path_(std::move(path)), ctx_(ctx) {}

  const std::string& path() const { return path_; }
  const Source& source() const { return node_->source; }
  const std::string& file() const { return node_->file; }

  // The child tables' keys (for tables of named entries, e.g. memory.<name>).
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : node_->children) out.push_back(k);
    return out;
  }
  bool has(const std::string& key) {
    asked_.insert(key);
    return node_->children.count(key) > 0;
  }

  std::optional<Table> table(const std::string& key, bool required) {
    asked_.insert(key);
    auto it = node_->children.find(key);
    if (it == node_->children.end()) {
      if (required) missing(key);
      return std::nullopt;
    }
    if (!it->second.is_table()) {
      fail(it->second.file, join_key(path_, key),
           fmt::format("expected a table, got {}", type_name(*it->second.value)));
    }
    return Table(&it->second, join_key(path_, key), ctx_);
  }

  // Elements of an array of tables (`[[key]]` or `key = [{...}, ...]`).
  std::vector<Table> tables(const std::string& key) {
    const Node* leaf = get(key, false);
    std::vector<Table> out;
    if (!leaf) return out;
    const toml::array* array = leaf->value->as_array();
    const std::string dotted = join_key(path_, key);
    if (!array)
      fail(leaf->file, dotted,
           fmt::format("expected an array of tables, got {}", type_name(*leaf->value)));
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::table* element = (*array)[i].as_table();
      const std::string element_key = fmt::format("{}[{}]", dotted, i);
      if (!element)
        fail(leaf->file, element_key,
             fmt::format("expected a table, got {}", type_name((*array)[i])));
      Node& node = ctx_->element_nodes.emplace_back();
      build_tree(*element, leaf->file, leaf->source, element_key, node);
      out.emplace_back(&node, element_key, ctx_);
    }
    return out;
  }

  std::optional<std::string> str(const std::string& key, bool required, bool sourced = true) {
    const Node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->value->is_string()) wrong(key, *n, "a string");
    record(key, *n, sourced);
    return n->value->value<std::string>().value_or("");
  }
  std::string str_or(const std::string& key, std::string fallback, bool sourced = true) {
    return str(key, false, sourced).value_or(std::move(fallback));
  }
  // A string that must be one of `allowed`.
  std::optional<std::string> choice(const std::string& key, bool required,
                                    std::initializer_list<const char*> allowed) {
    const Node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->value->is_string()) wrong(key, *n, "a string");
    const std::string v = n->value->value<std::string>().value_or("");
    std::string list;
    for (const char* a : allowed) {
      if (v == a) {
        record(key, *n, true);
        return v;
      }
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    fail(n->file, join_key(path_, key), fmt::format("'{}' is not one of {}", v, list));
  }

  std::optional<bool> boolean(const std::string& key, bool required) {
    const Node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->value->is_boolean()) wrong(key, *n, "a boolean");
    record(key, *n, true);
    return n->value->value<bool>().value_or(false);
  }

  std::optional<double> number(const std::string& key, bool required) {
    const Node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->value->is_number()) wrong(key, *n, "a number");
    const double v = n->value->value<double>().value_or(0);
    if (!std::isfinite(v) || v < 0)
      fail(n->file, join_key(path_, key), "must be a finite number >= 0");
    record(key, *n, true);
    return v;
  }

  std::optional<uint64_t> integer(const std::string& key, bool required, uint64_t max) {
    const Node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->value->is_integer()) wrong(key, *n, "an integer");
    const int64_t v = n->value->value<int64_t>().value_or(0);
    if (v < 0 || uint64_t(v) > max) {
      fail(n->file, join_key(path_, key), fmt::format("{} is outside 0..{}", v, max));
    }
    record(key, *n, true);
    return uint64_t(v);
  }

  std::optional<uint64_t> byte_size(const std::string& key, bool required) {
    const Node* n = get(key, required);
    if (!n) return std::nullopt;
    uint64_t v = 0;
    if (n->value->is_integer()) {
      const int64_t i = n->value->value<int64_t>().value_or(-1);
      if (i < 0) fail(n->file, join_key(path_, key), "negative");
      v = uint64_t(i);
    } else if (n->value->is_string()) {
      auto parsed = parse_byte_size(n->value->value<std::string>().value_or(""));
      if (!parsed.is_ok()) fail(n->file, join_key(path_, key), parsed.status().message());
      v = parsed.value();
    } else {
      wrong(key, *n, "a byte size (an integer or a string such as \"64K\")");
    }
    if (v > 0x100000000ull) fail(n->file, join_key(path_, key), "larger than 4 GiB");
    record(key, *n, true);
    return v;
  }

  std::vector<double> numbers(const std::string& key, bool required) {
    const Node* n = get(key, required);
    std::vector<double> out;
    if (!n) return out;
    const toml::array* a = n->value->as_array();
    if (!a) wrong(key, *n, "an array of numbers");
    for (size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_number()) {
        fail(n->file, fmt::format("{}[{}]", join_key(path_, key), i),
             fmt::format("expected a number, got {}", type_name((*a)[i])));
      }
      out.push_back((*a)[i].value<double>().value_or(0));
    }
    record(key, *n, true);
    return out;
  }

  std::vector<std::string> strings(const std::string& key, bool required) {
    const Node* n = get(key, required);
    std::vector<std::string> out;
    if (!n) return out;
    const toml::array* a = n->value->as_array();
    if (!a) wrong(key, *n, "an array of strings");
    for (size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_string()) {
        fail(n->file, fmt::format("{}[{}]", join_key(path_, key), i),
             fmt::format("expected a string, got {}", type_name((*a)[i])));
      }
      out.push_back((*a)[i].value<std::string>().value_or(""));
    }
    record(key, *n, true);
    return out;
  }

  // Every key of this table must have been asked for.
  void finish() const {
    for (const auto& [k, v] : node_->children) {
      if (asked_.count(k)) continue;
      std::string known;
      for (const std::string& a : asked_) known += (known.empty() ? "" : ", ") + a;
      fail(v.file, join_key(path_, k),
           fmt::format("unknown key{}", known.empty() ? "" : " (known here: " + known + ")"));
    }
  }

 private:
  const Node* get(const std::string& key, bool required) {
    asked_.insert(key);
    auto it = node_->children.find(key);
    if (it == node_->children.end()) {
      if (required) missing(key);
      return nullptr;
    }
    if (it->second.is_table()) {
      fail(it->second.file, join_key(path_, key), "expected a value, got a table");
    }
    return &it->second;
  }

  [[noreturn]] void missing(const std::string& key) const {
    fail(ctx_->board_file, join_key(path_, key),
         ctx_->chip_file.empty()
             ? std::string("missing (required)")
             : fmt::format("missing (required; set by neither the board nor its chip {})",
                           ctx_->chip_file));
  }

  [[noreturn]] void wrong(const std::string& key, const Node& n, const char* expected) const {
    fail(n.file, join_key(path_, key),
         fmt::format("expected {}, got {}", expected, type_name(*n.value)));
  }

  void record(const std::string& key, const Node& n, bool sourced) {
    // A value needs a source, or must be marked an estimate with the reasoning in a note.
    if (sourced && n.source.document.empty() && !(n.source.estimate && !n.source.note.empty())) {
      fail(n.file, join_key(path_, key),
           "no source: give the value or its table a `source = \"document, table/section\"` "
           "(or `estimate = true` with a `note` saying why)");
    }
    if (ctx_->facts) {
      ctx_->facts->push_back(
          Fact{join_key(path_, key), toml_text(*n.value), sourced ? n.source : Source{}, n.file});
    }
  }

  const Node* node_;
  std::string path_;
  Context* ctx_;
  std::set<std::string> asked_;
};

// ---------------------------------------------------------------------------------------------
// Sections.

CoreConfig read_core(Table& t, uint32_t& nvic_priority_bits) {
  CoreConfig core;
  const std::string kind = *t.choice(
      "kind", true,
      {"cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33"});
  core.kind = *parse_core_name(kind);
  core.fpu = *parse_fpu_name(*t.choice("fpu", true, {"none", "fpv4-sp", "fpv5-sp", "fpv5-dp"}));
  const bool dsp_default = core.kind == CoreKind::kCortexM4 || core.kind == CoreKind::kCortexM7;
  core.dsp = t.boolean("dsp", false).value_or(dsp_default);
  core.multiplier = t.choice("multiplier", false, {"fast", "small"}).value_or("fast");
  nvic_priority_bits = static_cast<uint32_t>(*t.integer("nvic_priority_bits", true, 8));
  t.finish();
  auto bad = [&](const std::string& key, const std::string& what) {
    fail(t.file(), join_key(t.path(), key), what);
  };
  if (is_armv6m(core.kind)) {
    if (core.fpu != FpuKind::kNone) bad("fpu", "ARMv6-M cores have no FPU");
    if (core.dsp) bad("dsp", "ARMv6-M cores have no DSP extension");
  }
  if (core.kind == CoreKind::kCortexM3 && (core.fpu != FpuKind::kNone || core.dsp)) {
    bad(core.dsp ? "dsp" : "fpu", "the Cortex-M3 has no FPU and no DSP extension");
  }
  if (core.kind == CoreKind::kCortexM4 &&
      (core.fpu == FpuKind::kFpv5Sp || core.fpu == FpuKind::kFpv5Dp)) {
    bad("fpu", "the Cortex-M4 FPU is fpv4-sp");
  }
  if ((core.kind == CoreKind::kCortexM7 || core.kind == CoreKind::kCortexM33) &&
      core.fpu == FpuKind::kFpv4Sp) {
    bad("fpu", "Cortex-M7 and Cortex-M33 FPUs are FPv5");
  }
  if (core.kind == CoreKind::kCortexM33 && core.fpu == FpuKind::kFpv5Dp) {
    bad("fpu", "the Cortex-M33 FPU is single precision (fpv5-sp)");
  }
  if (is_armv6m(core.kind) && (nvic_priority_bits != 2)) {
    bad("nvic_priority_bits", "ARMv6-M implements exactly 2 priority bits");
  }
  if (nvic_priority_bits < 2) bad("nvic_priority_bits", "at least 2");
  return core;
}

MemoryRegion read_region(Table& t, const std::string& name) {
  MemoryRegion r;
  r.name = name;
  r.kind = *parse_region_kind(*t.choice("kind", true, {"flash", "sram", "tcm", "xip"}));
  r.base = static_cast<uint32_t>(*t.integer("base", true, 0xFFFFFFFFull));
  r.size_bytes =
      static_cast<uint32_t>(std::min<uint64_t>(*t.byte_size("size", true), 0xFFFFFFFFull));
  r.alias_of = t.str_or("alias_of", "");
  if (auto x = t.table("xip", false)) {
    XipConfig xip;
    xip.clock_divider = static_cast<uint32_t>(*x->integer("clock_divider", true, 256));
    xip.data_lines = static_cast<uint32_t>(x->integer("data_lines", false, 8).value_or(1));
    xip.address_bits = static_cast<uint32_t>(x->integer("address_bits", false, 32).value_or(24));
    xip.mode_bits = static_cast<uint32_t>(x->integer("mode_bits", false, 32).value_or(0));
    xip.dummy_cycles = static_cast<uint32_t>(x->integer("dummy_cycles", false, 64).value_or(0));
    xip.continuous_read = x->boolean("continuous_read", false).value_or(false);
    xip.source = x->source();
    x->finish();
    if (xip.clock_divider == 0) fail(x->file(), x->path() + ".clock_divider", "zero");
    if (xip.data_lines != 1 && xip.data_lines != 2 && xip.data_lines != 4 && xip.data_lines != 8) {
      fail(x->file(), x->path() + ".data_lines", "must be 1, 2, 4 or 8");
    }
    r.xip = xip;
  }
  r.source = t.source();
  t.finish();
  return r;
}

WaitStateTable read_wait_states(Table& t) {
  WaitStateTable w;
  w.range = t.str_or("range", "");
  w.vdd_min_v = t.number("vdd_min_v", false).value_or(0);
  w.vdd_max_v = t.number("vdd_max_v", false).value_or(0);
  w.max_mhz = t.numbers("max_mhz", true);
  w.source = t.source();
  t.finish();
  return w;
}

ControlRegister read_control(Table& t) {
  ControlRegister c;
  c.name = *t.str("name", true, false);
  c.address = static_cast<uint32_t>(*t.integer("address", true, 0xFFFFFFFFull));
  c.reset_value = static_cast<uint32_t>(*t.integer("reset_value", true, 0xFFFFFFFFull));
  if (auto v = t.integer("startup_value", false, 0xFFFFFFFFull)) c.startup_value = uint32_t(*v);
  c.startup_note = t.str_or("startup_note", "", false);
  c.source = t.source();
  t.finish();
  return c;
}

CacheConfig read_cache(Table& t, const std::string& name) {
  CacheConfig c;
  c.name = name;
  c.kind = *t.choice("kind", true, {"art", "flash-cache", "prefetch-buffer", "cache"});
  c.regions = t.strings("regions", true);
  c.role = t.choice("role", false, {"instruction", "data", "unified"}).value_or("");
  c.size_bytes = static_cast<uint32_t>(t.byte_size("size", false).value_or(0));
  c.line_bytes = static_cast<uint32_t>(t.integer("line_bytes", false, 1024).value_or(0));
  c.ways = static_cast<uint32_t>(t.integer("ways", false, 64).value_or(0));
  c.icache_lines = static_cast<uint32_t>(t.integer("icache_lines", false, 65536).value_or(0));
  c.dcache_lines = static_cast<uint32_t>(t.integer("dcache_lines", false, 65536).value_or(0));
  c.buffers = static_cast<uint32_t>(t.integer("buffers", false, 64).value_or(0));
  c.prefetch = t.boolean("prefetch", false).value_or(false);
  c.replacement =
      t.choice("replacement", false, {"lru", "pseudo-lru", "round-robin", "random"}).value_or("");
  c.write_policy =
      t.choice("write_policy", false, {"read-only", "write-back", "write-through"}).value_or("");
  c.allocate = t.choice("allocate", false, {"read", "read-write"}).value_or("");
  c.control = t.str_or("control", "", false);
  c.enabled_at_reset = *t.boolean("enabled_at_reset", true);
  c.enabled_by_startup = *t.boolean("enabled_by_startup", true);
  c.source = t.source();
  t.finish();
  return c;
}

RunCurrent read_run_current(Table& t) {
  RunCurrent r;
  r.clock_mhz = *t.number("clock_mhz", true);
  r.vdd_v = *t.number("vdd_v", true);
  r.range = t.str_or("range", "");
  r.regulator = t.choice("regulator", false, {"ldo", "smps", "dcdc", "bypass"}).value_or("");
  r.code = *t.choice("code", true, {"flash", "sram", "tcm", "xip"});
  r.accelerator = t.choice("accelerator", false, {"on", "off"}).value_or("");
  r.peripherals = t.choice("peripherals", false, {"on", "off"}).value_or("");
  r.workload = t.str_or("workload", "");
  const bool has_ma = t.has("current_ma"), has_ua = t.has("ua_per_mhz");
  if (has_ma == has_ua) {
    fail(t.file(), t.path(), "give exactly one of current_ma and ua_per_mhz");
  }
  if (has_ma) {
    r.current_ma = *t.number("current_ma", true);
    r.ua_per_mhz = r.clock_mhz > 0 ? r.current_ma * 1000.0 / r.clock_mhz : 0;
  } else {
    r.ua_per_mhz = *t.number("ua_per_mhz", true);
    r.current_ma = r.ua_per_mhz * r.clock_mhz / 1000.0;
  }
  r.temperature_c = t.number("temperature_c", false).value_or(25);
  r.source = t.source();
  t.finish();
  return r;
}

LowPowerCurrent read_low_power(Table& t) {
  LowPowerCurrent l;
  l.mode = *t.str("mode", true);
  l.current_ua = *t.number("current_ua", true);
  l.vdd_v = *t.number("vdd_v", true);
  l.condition = t.str_or("condition", "");
  l.source = t.source();
  t.finish();
  return l;
}

PowerModelPoint read_power_model(Table& t) {
  PowerModelPoint m;
  m.range = t.str_or("range", "");
  m.vdd_v = *t.number("vdd_v", true);
  m.regulator = t.choice("regulator", false, {"ldo", "smps", "dcdc", "bypass"}).value_or("");
  m.i_static_ma = t.number("i_static_ma", false).value_or(0);
  m.q_flash_pc = *t.number("q_flash_pc", true);
  m.q_sram_pc = t.number("q_sram_pc", false).value_or(0);
  m.q_tcm_pc = t.number("q_tcm_pc", false).value_or(0);
  m.q_xip_pc = t.number("q_xip_pc", false).value_or(0);
  m.dq_alu_pc = t.number("dq_alu_pc", false).value_or(0);
  m.dq_mul_mac_simd_pc = t.number("dq_mul_mac_simd_pc", false).value_or(0);
  m.dq_load_store_pc = t.number("dq_load_store_pc", false).value_or(0);
  m.dq_branch_pc = t.number("dq_branch_pc", false).value_or(0);
  m.dq_fpu_pc = t.number("dq_fpu_pc", false).value_or(0);
  m.dq_other_pc = t.number("dq_other_pc", false).value_or(0);
  m.q_flash_line_pc = t.number("q_flash_line_pc", false).value_or(0);
  m.q_cache_hit_pc = t.number("q_cache_hit_pc", false).value_or(0);
  m.q_cache_miss_pc = t.number("q_cache_miss_pc", false).value_or(0);
  m.q_stall_pc = t.number("q_stall_pc", false).value_or(0);
  m.calibration = *t.str("calibration", true);
  if (m.vdd_v <= 0) fail(t.file(), t.path() + ".vdd_v", "must be positive");
  if (m.q_flash_pc <= 0) fail(t.file(), t.path() + ".q_flash_pc", "must be positive");
  m.source = t.source();
  t.finish();
  return m;
}

Price read_price(Table& t) {
  Price p;
  p.usd = *t.number("usd", true);
  p.quantity = static_cast<uint32_t>(t.integer("quantity", false, 1'000'000'000).value_or(1));
  p.date = *t.str("date", true);
  const bool date_ok = (p.date.size() == 7 || p.date.size() == 10) &&
                       std::all_of(p.date.begin(), p.date.end(),
                                   [](char c) { return std::isdigit(uint8_t(c)) || c == '-'; }) &&
                       p.date[4] == '-';
  if (!date_ok) fail(t.file(), t.path() + ".date", "expected \"YYYY-MM\" or \"YYYY-MM-DD\"");
  if (p.quantity == 0) fail(t.file(), t.path() + ".quantity", "zero");
  p.source = t.source();
  t.finish();
  return p;
}

// Reads a composed tree into a Board (the checks across keys come after, in check_board).
Board read_board(const Node& root, Context& ctx, const std::string& name) {
  Board b;
  b.name = name;
  Table top(&root, "", &ctx);

  auto board = top.table("board", true);
  board->has("chip");  // consumed by the composition
  b.description = *board->str("description", true, false);
  b.url = board->str_or("url", "", false);
  const std::string variant = board->str_or("firmware_variant", "", false);
  board->finish();

  if (auto chip = top.table("chip", true)) {
    b.part = *chip->str("part", true, false);
    b.vendor = *chip->str("vendor", true, false);
    b.family = *chip->str("family", true, false);
    chip->str_or("description", "", false);
    chip->finish();
  }
  auto core = top.table("core", true);
  b.core = read_core(*core, b.nvic_priority_bits);
  b.firmware_variant = variant.empty() ? default_firmware_variant(b.core) : variant;

  auto clock = top.table("clock", true);
  b.max_clock_mhz = *clock->number("max_mhz", true);
  clock->finish();

  auto supply = top.table("supply", true);
  b.vdd_min_v = *supply->number("vdd_min_v", true);
  b.vdd_max_v = *supply->number("vdd_max_v", true);
  supply->finish();

  if (auto ranges = top.table("voltage_ranges", false)) {
    for (const std::string& key : ranges->keys()) {
      auto r = ranges->table(key, true);
      VoltageRange v;
      v.name = key;
      v.max_mhz = *r->number("max_mhz", true);
      v.vcore_v = r->number("vcore_v", false).value_or(0);
      v.source = r->source();
      r->finish();
      b.voltage_ranges.push_back(v);
    }
    ranges->finish();
    std::sort(b.voltage_ranges.begin(), b.voltage_ranges.end(),
              [](const VoltageRange& x, const VoltageRange& y) { return x.max_mhz > y.max_mhz; });
  }

  auto op = top.table("operating_point", true);
  b.operating_point.clock_mhz = *op->number("clock_mhz", true);
  b.operating_point.range = op->str_or("range", "");
  b.operating_point.vdd_v = *op->number("vdd_v", true);
  b.operating_point.regulator =
      op->choice("regulator", false, {"ldo", "smps", "dcdc", "bypass"}).value_or("");
  b.operating_point.source = op->source();
  op->finish();
  b.clock_hz = static_cast<uint64_t>(std::llround(b.operating_point.clock_mhz * 1e6));

  auto boot = top.table("boot", true);
  b.boot_address = static_cast<uint32_t>(*boot->integer("address", true, 0xFFFFFFFFull));
  boot->finish();

  auto memory = top.table("memory", true);
  for (const std::string& key : memory->keys()) {
    auto r = memory->table(key, true);
    b.memory.push_back(read_region(*r, key));
  }
  memory->finish();
  std::stable_sort(b.memory.begin(), b.memory.end(),
                   [](const MemoryRegion& x, const MemoryRegion& y) { return x.base < y.base; });

  if (auto flash = top.table("flash", false)) {
    b.flash.line_bytes =
        static_cast<uint32_t>(flash->integer("line_bytes", false, 1024).value_or(0));
    b.flash.bus_clock_divider =
        static_cast<uint32_t>(flash->integer("bus_clock_divider", false, 16).value_or(1));
    if (b.flash.bus_clock_divider == 0) fail(flash->file(), "flash.bus_clock_divider", "zero");
    for (Table& w : flash->tables("wait_states"))
      b.flash.wait_states.push_back(read_wait_states(w));
    if (auto control = flash->table("control", false)) b.flash.control = read_control(*control);
    b.flash.source = flash->source();
    flash->finish();
  }

  if (auto caches = top.table("caches", false)) {
    for (const std::string& key : caches->keys()) {
      auto c = caches->table(key, true);
      b.caches.push_back(read_cache(*c, key));
    }
    caches->finish();
  }

  if (auto power = top.table("power", false)) {
    for (Table& r : power->tables("run")) b.power.run.push_back(read_run_current(r));
    for (Table& l : power->tables("low_power")) b.power.low_power.push_back(read_low_power(l));
    for (Table& m : power->tables("model")) b.power.model.push_back(read_power_model(m));
    power->finish();
  }

  if (auto price = top.table("price", false)) {
    if (auto p = price->table("board", false)) b.board_price = read_price(*p);
    if (auto p = price->table("chip", false)) b.chip_price = read_price(*p);
    price->finish();
  }
  top.finish();
  return b;
}

std::shared_ptr<toml::table> parse_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw LoadError{fmt::format("{}: no such file", path.string())};
  try {
    return std::make_shared<toml::table>(toml::parse_file(path.string()));
  } catch (const toml::parse_error& e) {
    throw LoadError{fmt::format("{}:{}:{}: {}", path.string(), e.source().begin.line,
                                e.source().begin.column, e.description())};
  }
}

// The catalog file that set `key` (or something under it), for messages about composed values.
std::string file_of(const Board& b, const std::string& key, const std::string& fallback) {
  std::string file = fallback;
  for (const Fact& f : b.facts) {
    if (f.key == key || f.key.rfind(key + ".", 0) == 0 || f.key.rfind(key + "[", 0) == 0) {
      file = f.file;
    }
  }
  return file;
}

Board load_board(const fs::path& board_file, const fs::path& chips_directory) {
  Context ctx;
  ctx.board_file = board_file.string();
  auto board_table = parse_file(board_file);
  ctx.parsed.push_back(board_table);

  Node board_tree;
  build_tree(*board_table, ctx.board_file, Source{}, "", board_tree);

  Node root;
  const toml::node* chip_name = board_table->at_path("board.chip").node();
  if (!chip_name) fail(ctx.board_file, "board.chip", "missing (required: the chip file's name)");
  if (!chip_name->is_string()) {
    fail(ctx.board_file, "board.chip",
         fmt::format("expected a string, got {}", type_name(*chip_name)));
  }
  const std::string chip = chip_name->value<std::string>().value_or("");
  if (chip.empty() || chip.find('/') != std::string::npos || chip.find('\\') != std::string::npos) {
    fail(ctx.board_file, "board.chip", fmt::format("'{}' is not a chip file name", chip));
  }
  const fs::path chip_file = chips_directory / (chip + ".toml");
  std::error_code ec;
  if (!fs::is_regular_file(chip_file, ec)) {
    fail(ctx.board_file, "board.chip", fmt::format("no chip file {}", chip_file.string()));
  }
  ctx.chip_file = chip_file.string();
  auto chip_table = parse_file(chip_file);
  ctx.parsed.push_back(chip_table);
  if (chip_table->contains("board")) {
    fail(ctx.chip_file, "board", "a chip file cannot have a [board] table");
  }
  build_tree(*chip_table, ctx.chip_file, Source{}, "", root);
  overlay(root, board_tree);

  std::vector<Fact> facts;
  ctx.facts = &facts;
  Board b = read_board(root, ctx, board_file.stem().string());
  b.facts = std::move(facts);
  b.files = {ctx.chip_file, ctx.board_file};

  if (auto problem = check_board(b)) {
    fail(file_of(b, problem->key, ctx.board_file), problem->key, problem->what);
  }
  b.operating_point.wait_states = b.wait_states_for(b.clock_hz, b.operating_point.range).value();
  return b;
}

// ---------------------------------------------------------------------------------------------
// Units.

std::string lower_trimmed(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (!std::isspace(uint8_t(c))) s += char(std::tolower(uint8_t(c)));
  }
  return s;
}

// Splits "48.5mhz" into 48.5 and "mhz".
bool split_number(const std::string& s, double& number, std::string& unit) {
  if (s.empty()) return false;
  const char* begin = s.c_str();
  char* end = nullptr;
  number = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(number) || number < 0) return false;
  unit = std::string(end);
  return true;
}

// Default catalog state.
std::mutex g_catalog_mutex;
fs::path g_catalog_override;
// Every catalog loaded stays alive: default_catalog() hands out references.
std::vector<std::unique_ptr<StatusOr<Catalog>>> g_catalogs;
bool g_catalog_stale = true;

}  // namespace

StatusOr<uint64_t> parse_frequency(std::string_view text) {
  const std::string s = lower_trimmed(text);
  double number = 0;
  std::string unit;
  auto bad = [&] {
    return Status{
        StatusCode::kInvalidArgument,
        fmt::format("'{}' is not a frequency (e.g. 48MHz, 32.768kHz, 1.2GHz, 8000000)", text)};
  };
  if (!split_number(s, number, unit)) return bad();
  double scale = 0;
  if (unit.empty() || unit == "hz")
    scale = 1;
  else if (unit == "k" || unit == "khz")
    scale = 1e3;
  else if (unit == "m" || unit == "mhz")
    scale = 1e6;
  else if (unit == "g" || unit == "ghz")
    scale = 1e9;
  else
    return bad();
  const double hz = number * scale;
  if (hz < 1 || hz > 1e11) return bad();
  return static_cast<uint64_t>(std::llround(hz));
}

StatusOr<uint64_t> parse_byte_size(std::string_view text) {
  const std::string s = lower_trimmed(text);
  double number = 0;
  std::string unit;
  auto bad = [&] {
    return Status{StatusCode::kInvalidArgument,
                  fmt::format("'{}' is not a byte size (e.g. 128K, 2M, 64KiB, 4096)", text)};
  };
  if (!split_number(s, number, unit)) return bad();
  double scale = 0;
  if (unit.empty() || unit == "b")
    scale = 1;
  else if (unit == "k" || unit == "kb" || unit == "kib")
    scale = 1024;
  else if (unit == "m" || unit == "mb" || unit == "mib")
    scale = 1024.0 * 1024;
  else if (unit == "g" || unit == "gb" || unit == "gib")
    scale = 1024.0 * 1024 * 1024;
  else
    return bad();
  const double bytes = number * scale;
  if (bytes != std::floor(bytes) || bytes > 1e15) return bad();
  return static_cast<uint64_t>(bytes);
}

namespace {

namespace mm = memory_models;

std::string wait_state_row_name(const WaitStateTable& t) {
  if (!t.range.empty()) return t.range;
  if (t.vdd_min_v > 0 || t.vdd_max_v > 0)
    return fmt::format("{:g}-{:g}V", t.vdd_min_v, t.vdd_max_v);
  return "any";
}

mm::CacheConfig cache_config(const CacheConfig& c) {
  mm::CacheConfig out;
  out.name = c.name;
  out.size_bytes = c.size_bytes;
  out.line_bytes = c.line_bytes;
  out.ways = c.ways;
  if (c.replacement == "random") out.replacement = mm::Replacement::kRandom;
  if (c.replacement == "round-robin") out.replacement = mm::Replacement::kRoundRobin;
  if (c.write_policy == "write-through") out.write_policy = mm::WritePolicy::kWriteThrough;
  if (c.allocate == "read-write") out.allocate = mm::AllocatePolicy::kReadWriteAllocate;
  return out;
}

bool serves(const CacheConfig& c, const std::string& region) {
  return std::find(c.regions.begin(), c.regions.end(), region) != c.regions.end();
}

bool is_l1(const CacheConfig& c) {
  return c.control.rfind("SCB_CCR", 0) == 0;
}

}  // namespace

mm::MemorySystemConfig memory_system_config(const Board& b) {
  mm::MemorySystemConfig cfg;
  cfg.clock_hz = b.clock_hz;

  // The flash accelerator: the first non-L1 cache in front of a flash region.
  const CacheConfig* accelerator = nullptr;
  const CacheConfig* xip_cache = nullptr;
  for (const CacheConfig& c : b.caches) {
    if (is_l1(c)) continue;
    for (const std::string& name : c.regions) {
      const MemoryRegion* r = b.region_named(name);
      if (!r) continue;
      if (r->kind == RegionKind::kFlash && !accelerator) accelerator = &c;
      if (r->kind == RegionKind::kXip && !xip_cache) xip_cache = &c;
    }
  }

  for (const MemoryRegion& r : b.memory) {
    mm::RegionConfig rc;
    rc.name = r.name;
    rc.base = r.base;
    rc.size_bytes = r.size_bytes;
    rc.alias_of = r.alias_of;
    switch (r.kind) {
      case RegionKind::kFlash:
        rc.kind = mm::RegionKind::kFlash;
        break;
      case RegionKind::kSram:
        rc.kind = mm::RegionKind::kSram;
        break;
      case RegionKind::kTcm:
        rc.kind = mm::RegionKind::kTcm;
        break;
      case RegionKind::kXip:
        rc.kind = mm::RegionKind::kXip;
        break;
    }
    // Cortex-M7: 64-bit AXI and TCM paths (DDI0489 "Memory system").
    if (b.core.kind == CoreKind::kCortexM7) rc.width_bits = 64;
    rc.through_accelerator = accelerator && serves(*accelerator, r.name);
    for (const CacheConfig& c : b.caches) {
      if (is_l1(c) && serves(c, r.name)) rc.l1_cacheable = true;
    }
    cfg.regions.push_back(rc);
  }

  // Flash timing: every table, named; the operating point selects its row.
  for (const WaitStateTable& t : b.flash.wait_states) {
    mm::WaitStateRange row;
    row.name = wait_state_row_name(t);
    for (double mhz : t.max_mhz)
      row.max_clock_hz.push_back(static_cast<uint64_t>(std::llround(mhz * 1e6)));
    cfg.flash.wait_states.push_back(row);
    if (cfg.voltage_range.empty() && t.matches(b.operating_point.range, b.operating_point.vdd_v)) {
      cfg.voltage_range = row.name;
    }
  }
  if (b.flash.line_bytes) cfg.flash.line_bits = b.flash.line_bytes * 8;
  cfg.flash.clock_divider = b.flash.bus_clock_divider;
  // Start-up code sets the latency the table requires for the clock it configures, so the
  // operating point decides it (the catalog's startup_value shows it at the default clock);
  // the firmware's own FLASH_ACR writes then take over at run time.
  if (!cfg.flash.wait_states.empty()) {
    cfg.flash.startup_wait_states = b.operating_point.wait_states;
  }
  if (accelerator) {
    const bool l4 = accelerator->kind == "flash-cache";
    cfg.flash.reset_settings.prefetch =
        accelerator->enabled_at_reset && accelerator->prefetch && !l4;
    cfg.flash.reset_settings.icache =
        accelerator->enabled_at_reset && accelerator->kind != "prefetch-buffer";
    cfg.flash.reset_settings.dcache =
        cfg.flash.reset_settings.icache && accelerator->dcache_lines > 0;
    cfg.flash.startup_prefetch = accelerator->enabled_by_startup && accelerator->prefetch && !l4;
    cfg.flash.startup_icache = accelerator->enabled_by_startup;
    cfg.flash.startup_dcache = accelerator->enabled_by_startup;
    if (accelerator->kind == "art") {
      cfg.flash_accelerator = "stm32f4-art";
      cfg.art.icache_lines = accelerator->icache_lines;
      cfg.art.dcache_lines = accelerator->dcache_lines;
    } else if (l4) {
      cfg.flash_accelerator = "stm32l4-cache";
      cfg.l4_cache.icache_lines = accelerator->icache_lines;
      cfg.l4_cache.dcache_lines = accelerator->dcache_lines;
      cfg.l4_cache.cache_line_bits = accelerator->line_bytes * 8;
    } else if (accelerator->kind == "prefetch-buffer") {
      cfg.flash_accelerator = "prefetch-buffer";
      cfg.prefetch_buffer.buffers = accelerator->buffers;
    } else {
      cfg.flash_accelerator = "generic-cache";
      cfg.flash_cache = cache_config(*accelerator);
    }
  } else {
    cfg.flash.startup_prefetch = cfg.flash.startup_icache = cfg.flash.startup_dcache = false;
  }

  // Flash-interface registers (STM32 families with a FLASH_ACR described in the catalog).
  static const char* const kFamilies[] = {"stm32f0", "stm32f1", "stm32f4", "stm32f7", "stm32g0",
                                          "stm32l0", "stm32l4", "stm32l5", "stm32u5", "stm32h7"};
  if (b.flash.control) {
    const std::string family = b.family == "stm32l4+" ? "stm32l4" : b.family;
    for (const char* f : kFamilies) {
      if (family == f) {
        cfg.flash_registers = f;
        cfg.flash_registers_base = b.flash.control->address;
      }
    }
  }

  for (const CacheConfig& c : b.caches) {
    if (!is_l1(c)) continue;
    (c.role == "data" ? cfg.l1_dcache : cfg.l1_icache) = cache_config(c);
  }

  for (const MemoryRegion& r : b.memory) {
    if (!r.xip) continue;
    const XipConfig& x = *r.xip;
    cfg.xip.sck_divider = x.clock_divider;
    cfg.xip.data_lanes = x.data_lines;
    cfg.xip.command_clocks = x.continuous_read ? 0 : 8;
    cfg.xip.address_clocks = x.address_bits / x.data_lines;
    cfg.xip.mode_clocks = x.mode_bits / x.data_lines;
    cfg.xip.dummy_clocks = x.dummy_cycles;
    if (xip_cache) {
      cfg.xip.cache = cache_config(*xip_cache);
      cfg.xip.cache_enabled = xip_cache->enabled_at_reset;
    } else {
      cfg.xip.cache = mm::CacheConfig{};
      cfg.xip.cache.size_bytes = 0;
    }
  }
  return cfg;
}

StatusOr<Board> Catalog::find(const std::string& name) const {
  for (const Board& b : boards) {
    if (b.name == name) return b;
  }
  std::string known;
  for (const Board& b : boards) known += (known.empty() ? "" : ", ") + b.name;
  return Status{StatusCode::kInvalidBoard,
                fmt::format("unknown board '{}' (known boards: {})", name, known)};
}

StatusOr<Board> load_board_file(const fs::path& board_file, const fs::path& chips_directory) {
  try {
    return load_board(board_file, chips_directory);
  } catch (const LoadError& e) {
    return Status{StatusCode::kInvalidBoard, e.message};
  } catch (const std::exception& e) {
    return Status{StatusCode::kInvalidBoard, fmt::format("{}: {}", board_file.string(), e.what())};
  }
}

StatusOr<Catalog> load_catalog(const fs::path& directory) {
  Catalog catalog;
  catalog.directory = directory;
  std::error_code ec;
  const fs::path boards_dir = directory / "boards", chips_dir = directory / "chips";
  if (!fs::is_directory(boards_dir, ec) || !fs::is_directory(chips_dir, ec)) {
    return Status{
        StatusCode::kInvalidBoard,
        fmt::format("{}: not a board catalog (needs boards/ and chips/)", directory.string())};
  }
  auto toml_files = [&](const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".toml") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    return files;
  };
  // Chip files no board uses are still checked for syntax.
  for (const fs::path& chip : toml_files(chips_dir)) {
    try {
      parse_file(chip);
    } catch (const LoadError& e) {
      return Status{StatusCode::kInvalidBoard, e.message};
    }
  }
  for (const fs::path& file : toml_files(boards_dir)) {
    auto board = load_board_file(file, chips_dir);
    if (!board.is_ok()) return board.status();
    catalog.boards.push_back(std::move(board.value()));
  }
  if (catalog.boards.empty()) {
    return Status{StatusCode::kInvalidBoard,
                  fmt::format("{}: no boards in {}", directory.string(), boards_dir.string())};
  }
  std::sort(catalog.boards.begin(), catalog.boards.end(),
            [](const Board& a, const Board& b) { return a.name < b.name; });
  return catalog;
}

fs::path default_catalog_directory() {
  {
    std::lock_guard<std::mutex> lock(g_catalog_mutex);
    if (!g_catalog_override.empty()) return g_catalog_override;
  }
  if (const char* env = std::getenv("TINYSIM_CATALOG"); env && *env) return env;
#ifdef TINYSIM_CATALOG_DIR
  return TINYSIM_CATALOG_DIR;
#else
  return "catalog";
#endif
}

void set_default_catalog_directory(const fs::path& directory) {
  std::lock_guard<std::mutex> lock(g_catalog_mutex);
  if (g_catalog_override == directory) return;
  g_catalog_override = directory;
  g_catalog_stale = true;
}

const StatusOr<Catalog>& default_catalog() {
  const fs::path directory = default_catalog_directory();
  std::lock_guard<std::mutex> lock(g_catalog_mutex);
  if (g_catalog_stale) {
    g_catalogs.push_back(std::make_unique<StatusOr<Catalog>>(load_catalog(directory)));
    g_catalog_stale = false;
  }
  return *g_catalogs.back();
}

}  // namespace tinysim::sim
