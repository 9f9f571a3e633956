// `tinysim boards`: list and filter the boards of the catalog; `tinysim boards show NAME`: one
// board with every value and its source (docs/catalog.md, docs/cli.md).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/run_report.h"
#include "sim/board.h"
#include "sim/catalog.h"

namespace tinysim::cli {
namespace {

struct BoardsArgs {
  std::string catalog;
  bool json = false;
  std::string core;
  std::string min_clock;
  std::string min_sram;
  std::string min_flash;
  std::optional<double> max_price;
  std::string sort = "core";
  std::string show_name;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "tinysim: %s\n", message.c_str());
  return exit_code::kUsage;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "cortex-m4", "m4", "Cortex-M0+" -> the CoreKind.
std::optional<sim::CoreKind> parse_core_filter(std::string text) {
  text = lower(text);
  if (text.rfind("cortex-", 0) != 0) text = "cortex-" + text;
  if (!text.empty() && text.back() == '+') text = text.substr(0, text.size() - 1) + "plus";
  return sim::parse_core_name(text);
}

std::string kib(uint64_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
    return fmt::format("{} MiB", bytes / (1024 * 1024));
  }
  return fmt::format("{} KiB", bytes / 1024);
}

std::string price_text(const std::optional<sim::Price>& p) {
  if (!p) return "-";
  return fmt::format("${:g}{}", p->usd, p->source.estimate ? "~" : "");
}

nlohmann::json price_json(const std::optional<sim::Price>& p) {
  if (!p) return nullptr;
  return {{"usd", p->usd},
          {"quantity", p->quantity},
          {"date", p->date},
          {"source", p->source.document},
          {"estimate", p->source.estimate}};
}

nlohmann::json board_json(const sim::Board& b) {
  return {{"name", b.name},
          {"description", b.description},
          {"part", b.part},
          {"vendor", b.vendor},
          {"core", sim::core_name(b.core.kind)},
          {"fpu", sim::fpu_name(b.core.fpu)},
          {"dsp", b.core.dsp},
          {"clock_hz", b.clock_hz},
          {"max_clock_hz", static_cast<uint64_t>(b.max_clock_mhz * 1e6 + 0.5)},
          {"voltage_range", b.operating_point.range},
          {"vdd_v", b.operating_point.vdd_v},
          {"wait_states", b.operating_point.wait_states},
          {"flash_bytes", b.flash_bytes()},
          {"sram_bytes", b.sram_bytes()},
          {"firmware_variant", b.firmware_variant},
          {"board_price", price_json(b.board_price)},
          {"chip_price", price_json(b.chip_price)},
          {"default", b.name == sim::default_board_name()}};
}

nlohmann::json source_json(const sim::Source& s) {
  nlohmann::json j = {{"document", s.document}, {"estimate", s.estimate}};
  if (!s.note.empty()) j["note"] = s.note;
  return j;
}

std::string source_text(const sim::Source& s) {
  std::string out = s.document;
  if (s.estimate) out += (out.empty() ? "" : "; ") + std::string("ESTIMATE");
  if (!s.note.empty()) out += (out.empty() ? "" : ": ") + s.note;
  return out;
}

const sim::Catalog* load(const BoardsArgs& args, int& exit_code) {
  if (!args.catalog.empty()) sim::set_default_catalog_directory(args.catalog);
  const StatusOr<sim::Catalog>& catalog = sim::default_catalog();
  if (!catalog.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", catalog.status().message().c_str());
    exit_code = exit_code_for_status(catalog.status());
    return nullptr;
  }
  return &catalog.value();
}

int show(const BoardsArgs& args) {
  int code = exit_code::kOk;
  const sim::Catalog* catalog = load(args, code);
  if (!catalog) return code;
  auto found = catalog->find(args.show_name);
  if (!found.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", found.status().message().c_str());
    return exit_code_for_status(found.status());
  }
  const sim::Board& b = found.value();
  if (args.json) {
    nlohmann::json doc = board_json(b);
    doc["files"] = b.files;
    nlohmann::json facts = nlohmann::json::array();
    for (const sim::Fact& f : b.facts) {
      facts.push_back({{"key", f.key},
                       {"value", f.value},
                       {"source", source_json(f.source)},
                       {"file", f.file}});
    }
    doc["values"] = facts;
    std::puts(doc.dump(2).c_str());
    return exit_code::kOk;
  }
  std::printf("%s: %s\n", b.name.c_str(), b.description.c_str());
  std::printf("  %s %s, %s, %s flash, %s SRAM\n", b.vendor.c_str(), b.part.c_str(),
              sim::describe_core(b.core).c_str(), kib(b.flash_bytes()).c_str(),
              kib(b.sram_bytes()).c_str());
  std::printf("  runs at %g MHz%s, %g V, %u flash wait state%s; firmware build: %s\n",
              b.operating_point.clock_mhz,
              b.operating_point.range.empty() ? "" : (" in " + b.operating_point.range).c_str(),
              b.operating_point.vdd_v, b.operating_point.wait_states,
              b.operating_point.wait_states == 1 ? "" : "s", b.firmware_variant.c_str());
  std::printf("  files: ");
  for (size_t i = 0; i < b.files.size(); ++i) {
    std::printf("%s%s", i ? ", " : "", b.files[i].c_str());
  }
  std::printf("\n\n");
  size_t width = 0;
  for (const sim::Fact& f : b.facts) width = std::max(width, f.key.size() + 3 + f.value.size());
  width = std::min<size_t>(width, 60);
  for (const sim::Fact& f : b.facts) {
    const std::string kv = f.key + " = " + f.value;
    const std::string src = source_text(f.source);
    if (src.empty()) {
      std::printf("  %s\n", kv.c_str());
    } else {
      std::printf("  %-*s  # %s\n", static_cast<int>(width), kv.c_str(), src.c_str());
    }
  }
  return exit_code::kOk;
}

int list(const BoardsArgs& args) {
  int code = exit_code::kOk;
  const sim::Catalog* catalog = load(args, code);
  if (!catalog) return code;

  std::optional<sim::CoreKind> core;
  if (!args.core.empty()) {
    core = parse_core_filter(args.core);
    if (!core) {
      return usage_error(
          fmt::format("--core: unknown core '{}' (cortex-m0, cortex-m0plus, "
                      "cortex-m3, cortex-m4, cortex-m7, cortex-m33)",
                      args.core));
    }
  }
  uint64_t min_clock = 0, min_sram = 0, min_flash = 0;
  if (!args.min_clock.empty()) {
    auto v = sim::parse_frequency(args.min_clock);
    if (!v.is_ok()) return usage_error("--min-clock: " + v.status().message());
    min_clock = v.value();
  }
  if (!args.min_sram.empty()) {
    auto v = sim::parse_byte_size(args.min_sram);
    if (!v.is_ok()) return usage_error("--min-sram: " + v.status().message());
    min_sram = v.value();
  }
  if (!args.min_flash.empty()) {
    auto v = sim::parse_byte_size(args.min_flash);
    if (!v.is_ok()) return usage_error("--min-flash: " + v.status().message());
    min_flash = v.value();
  }
  if (args.max_price && *args.max_price < 0) return usage_error("--max-price: negative");

  std::vector<const sim::Board*> boards;
  for (const sim::Board& b : catalog->boards) {
    if (core && b.core.kind != *core) continue;
    if (b.max_clock_mhz * 1e6 + 0.5 < double(min_clock)) continue;
    if (b.sram_bytes() < min_sram || b.flash_bytes() < min_flash) continue;
    if (args.max_price && (!b.board_price || b.board_price->usd > *args.max_price)) continue;
    boards.push_back(&b);
  }
  auto price = [](const sim::Board* b) {
    return b->board_price ? b->board_price->usd : 1e300;  // unknown prices last
  };
  std::stable_sort(boards.begin(), boards.end(), [&](const sim::Board* a, const sim::Board* b) {
    if (args.sort == "clock") return a->max_clock_mhz > b->max_clock_mhz;
    if (args.sort == "sram") return a->sram_bytes() > b->sram_bytes();
    if (args.sort == "flash") return a->flash_bytes() > b->flash_bytes();
    if (args.sort == "price") return price(a) < price(b);
    if (args.sort == "core" && a->core.kind != b->core.kind) return a->core.kind < b->core.kind;
    if (args.sort == "core" && a->max_clock_mhz != b->max_clock_mhz) {
      return a->max_clock_mhz < b->max_clock_mhz;
    }
    return a->name < b->name;
  });

  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const sim::Board* b : boards) out.push_back(board_json(*b));
    std::puts(out.dump(2).c_str());
    return exit_code::kOk;
  }
  std::printf("%-18s %-14s %-8s %9s %10s %10s %7s  %s\n", "BOARD", "CORE", "FPU", "MAX CLOCK",
              "SRAM", "FLASH", "PRICE", "DESCRIPTION");
  for (const sim::Board* b : boards) {
    std::printf("%-18s %-14s %-8s %5g MHz %10s %10s %7s  %s%s\n", b->name.c_str(),
                std::string(sim::core_name(b->core.kind)).c_str(),
                std::string(sim::fpu_name(b->core.fpu)).c_str(), b->max_clock_mhz,
                kib(b->sram_bytes()).c_str(), kib(b->flash_bytes()).c_str(),
                price_text(b->board_price).c_str(), b->description.c_str(),
                b->name == sim::default_board_name() ? " (default)" : "");
  }
  if (boards.empty()) std::fprintf(stderr, "tinysim: no board matches the filters\n");
  return exit_code::kOk;
}

}  // namespace

void add_boards_command(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<BoardsArgs>();
  CLI::App* cmd = app.add_subcommand("boards", "List the boards of the catalog, or show one");
  cmd->footer(
      "Prices marked ~ are estimates. `tinysim boards show NAME` prints every value of a board\n"
      "with its source. The catalog is catalog/ in the source tree unless --catalog or\n"
      "$TINYSIM_CATALOG names another (docs/catalog.md).");
  cmd->add_option("--catalog", args->catalog, "Board catalog directory (chips/ and boards/)");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->add_option("--core", args->core, "Only boards with this core (e.g. cortex-m4, m33)");
  cmd->add_option("--min-clock", args->min_clock,
                  "Only boards whose chip reaches this clock (e.g. 100MHz)");
  cmd->add_option("--min-sram", args->min_sram, "Only boards with this much SRAM (e.g. 128K)");
  cmd->add_option("--min-flash", args->min_flash, "Only boards with this much flash (e.g. 1M)");
  cmd->add_option("--max-price", args->max_price,
                  "Only boards with a known price up to this many USD");
  cmd->add_option("--sort", args->sort, "Order: core (default), name, clock, sram, flash, price")
      ->check(CLI::IsMember({"core", "name", "clock", "sram", "flash", "price"}));
  CLI::App* show_cmd =
      cmd->add_subcommand("show", "Show one board with every value and its source");
  show_cmd->add_option("name", args->show_name, "Board name")->required();
  show_cmd->fallthrough();
  registry.add(cmd, [args, show_cmd] { return show_cmd->parsed() ? show(*args) : list(*args); });
}

}  // namespace tinysim::cli
