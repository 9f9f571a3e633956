#include "sim/machine.h"

#include "sim/catalog.h"
#include "sim/fit_check.h"

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace tinysim::sim {
namespace {

// Never a Thumb instruction address (odd), so uc_emu_start never stops on its own "until".
constexpr uint64_t kNoUntil = 0xFFFFFFFF;
// Host time is checked every this many blocks (a clock read costs ~20 ns).
constexpr uint32_t kBlocksPerClockCheck = 1 << 16;
constexpr uint32_t kPeripheralBase = 0x40000000, kPeripheralSize = 0x20000000;

// QEMU's exception numbers as Unicorn's interrupt hook reports them (target/arm/cpu.h).
constexpr uint32_t kExcpUdef = 1, kExcpSwi = 2, kExcpPrefetchAbort = 3, kExcpBkpt = 7,
                   kExcpExceptionExit = 8, kExcpNocp = 17, kExcpInvstate = 18;

// CFSR bits (DDI0403E B3.2.15).
constexpr uint32_t kIaccviol = 1u << 0, kMstkerr = 1u << 4, kIbuserr = 1u << 8,
                   kPreciserr = 1u << 9, kStkerr = 1u << 12, kUndefinstr = 1u << 16,
                   kInvstate = 1u << 17, kInvpc = 1u << 18, kNocp = 1u << 19, kUnaligned = 1u << 24,
                   kDivbyzero = 1u << 25;

double host_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Machine* self(void* user_data) {
  return static_cast<Machine*>(user_data);
}

// The energy model's fetch source of code at `address`: the kind of its region (an alias counts
// as the region it mirrors); flash where the address is in no region.
power_models::FetchSource fetch_source_at(const Board& board, uint32_t address) {
  const MemoryRegion* r = board.region_at(address);
  if (r && !r->alias_of.empty()) {
    if (const MemoryRegion* target = board.region_named(r->alias_of)) r = target;
  }
  if (!r) return power_models::FetchSource::kFlash;
  switch (r->kind) {
    case RegionKind::kFlash:
      return power_models::FetchSource::kFlash;
    case RegionKind::kSram:
      return power_models::FetchSource::kSram;
    case RegionKind::kTcm:
      return power_models::FetchSource::kTcm;
    case RegionKind::kXip:
      return power_models::FetchSource::kXip;
  }
  return power_models::FetchSource::kFlash;
}

}  // namespace

// --- Unicorn callback trampolines: no exception may escape into Unicorn. ---
struct MachineHooks {
  static void block(uc_engine*, uint64_t address, uint32_t size, void* user) {
    self(user)->on_block(static_cast<uint32_t>(address), size);
  }
  static void count_block(uc_engine*, uint64_t, uint32_t, void* user) {
    ++self(user)->empty_hook_blocks_;
  }
  static void code(uc_engine*, uint64_t address, uint32_t, void* user) {
    self(user)->on_code(static_cast<uint32_t>(address));
  }
  static void interrupt(uc_engine*, uint32_t intno, void* user) { self(user)->on_interrupt(intno); }
  static bool invalid(uc_engine*, uc_mem_type type, uint64_t address, int size, int64_t,
                      void* user) {
    return self(user)->on_invalid_memory(type, address, size);
  }
  static void data_access(uc_engine*, uc_mem_type type, uint64_t address, int size, int64_t,
                          void* user) {
    Machine* m = self(user);
    m->cycles_ += m->memory_->data_access_stall_cycles(
        static_cast<uint32_t>(address), static_cast<uint32_t>(size), type == UC_MEM_WRITE);
  }
  static void aligned(uc_engine*, uc_mem_type type, uint64_t address, int size, int64_t,
                      void* user) {
    self(user)->on_aligned_check(address, size, type == UC_MEM_WRITE);
  }
  static uint64_t peripheral_read(uc_engine*, uint64_t offset, unsigned size, void* user) {
    return self(user)->on_peripheral_read(offset, size);
  }
  static void peripheral_write(uc_engine*, uint64_t offset, unsigned size, uint64_t value,
                               void* user) {
    self(user)->on_peripheral_write(offset, size, value);
  }
  static uint64_t scs_read(uc_engine*, uint64_t offset, unsigned size, void* user) {
    return self(user)->scs_->read(static_cast<uint32_t>(offset), size);
  }
  static void scs_write(uc_engine*, uint64_t offset, unsigned size, uint64_t value, void* user) {
    self(user)->scs_->write(static_cast<uint32_t>(offset), size, static_cast<uint32_t>(value));
  }
};

Machine::Machine(const Board& board, const Image& image, const MachineOptions& options)
    : board_(board), image_(image), options_(options) {}

Machine::~Machine() {
  if (uc_) uc_close(uc_);
}

StatusOr<std::unique_ptr<Machine>> Machine::create(const Board& board, const Image& image,
                                                   const MachineOptions& options) {
  if (Status s = board.validate(); !s.is_ok()) return s;
  if (Status s = check_compatible(image, board.core, board.name); !s.is_ok()) return s;
  if (Status s = check_fits(image, board); !s.is_ok()) return s;
  std::unique_ptr<Machine> m(new Machine(board, image, options));
  cpu_models::CoreModelOptions model_options;
  if (auto multiplier = cpu_models::parse_multiplier(board.core.multiplier)) {
    model_options.multiplier = *multiplier;
  } else {
    return Status{StatusCode::kInvalidBoard,
                  fmt::format("board '{}': core.multiplier: '{}' is neither 'fast' nor 'small'",
                              board.name, board.core.multiplier)};
  }
  m->model_ = cpu_models::make_core_model(core_name(board.core.kind), model_options);
  if (!m->model_) {
    return Status{StatusCode::kInternal,
                  fmt::format("no timing model for {}", core_name(board.core.kind))};
  }
  m->model_->reset();
  auto decoder = Decoder::create();
  if (!decoder.is_ok()) return decoder.status();
  m->decoder_.emplace(std::move(decoder.value()));
  std::string memory_error;
  m->memory_ = memory_models::MemorySystem::create(memory_system_config(board), &memory_error);
  if (!m->memory_) {
    return Status{StatusCode::kInvalidBoard,
                  fmt::format("board '{}': memory system: {}", board.name, memory_error)};
  }
  m->scs_ = std::make_unique<SystemControlSpace>(
      board.core, board.boot_address, options.systick_external_divider, *m, m->memory_.get());
  m->semihosting_ = std::make_unique<Semihosting>(
      [mp = m.get()](int stream, std::string_view text) {
        if (mp->console_) mp->console_(stream, text);
      },
      options.command_line, board.clock_hz);
  if (Status s = m->init_unicorn(); !s.is_ok()) return s;
  if (Status s = m->map_memory(); !s.is_ok()) return s;
  if (Status s = m->load_image(); !s.is_ok()) return s;
  if (Status s = m->boot(); !s.is_ok()) return s;
  m->check_flash_wait_states();
  return m;
}

void Machine::set_console(ConsoleSink console) {
  console_ = std::move(console);
}

void Machine::set_warning_sink(std::function<void(const std::string&)> sink) {
  warning_sink_ = std::move(sink);
}

Status Machine::init_unicorn() {
  uc_err err = uc_open(UC_ARCH_ARM, static_cast<uc_mode>(UC_MODE_THUMB | UC_MODE_MCLASS), &uc_);
  if (err != UC_ERR_OK) {
    return {StatusCode::kInternal, fmt::format("uc_open: {}", uc_strerror(err))};
  }
  err = uc_ctl_set_cpu_model(uc_, unicorn_cpu_model(board_.core.kind));
  if (err != UC_ERR_OK) {
    return {StatusCode::kInternal, fmt::format("uc_ctl_set_cpu_model: {}", uc_strerror(err))};
  }
  return Status::ok();
}

Status Machine::map_memory() {
  uint32_t page = 0;
  if (uc_ctl_get_page_size(uc_, &page) != UC_ERR_OK || page == 0) page = 4096;
  auto bad = [&](const MemoryRegion& r, const std::string& what) {
    return Status{StatusCode::kInvalidBoard,
                  fmt::format("board '{}': memory.{}: {}", board_.name, r.name, what)};
  };
  // Buffers for real regions first, so aliases can share them.
  std::vector<uint8_t*> host(board_.memory.size(), nullptr);
  for (size_t i = 0; i < board_.memory.size(); ++i) {
    const MemoryRegion& r = board_.memory[i];
    if (!r.alias_of.empty()) continue;
    ram_.push_back(std::make_unique<uint8_t[]>(r.size_bytes));
    std::memset(ram_.back().get(), is_read_only(r.kind) ? 0xFF : 0x00, r.size_bytes);
    host[i] = ram_.back().get();
  }
  for (size_t i = 0; i < board_.memory.size(); ++i) {
    const MemoryRegion& r = board_.memory[i];
    if (r.base % page || r.size_bytes % page) {
      return bad(r, fmt::format("base and size must be multiples of {} bytes", page));
    }
    uint8_t* buffer = host[i];
    if (!r.alias_of.empty()) {
      const MemoryRegion* target = board_.region_named(r.alias_of);
      buffer = host[static_cast<size_t>(target - board_.memory.data())];
    }
    // Flash is read-only at run time; writes fault like an unlocked-less flash write would.
    const uint32_t prot = is_read_only(r.kind) ? (UC_PROT_READ | UC_PROT_EXEC) : UC_PROT_ALL;
    // Host buffers (uc_mem_map_ptr) keep stores on QEMU's fast path: Unicorn 2.0.1's own
    // allocations take the notdirty slow path on every store (unicorn issue #1970).
    const uc_err err = uc_mem_map_ptr(uc_, r.base, r.size_bytes, prot, buffer);
    if (err != UC_ERR_OK) return bad(r, fmt::format("cannot map: {}", uc_strerror(err)));
  }
  uc_err err = uc_mmio_map(uc_, SystemControlSpace::kBase, SystemControlSpace::kSize,
                           &MachineHooks::scs_read, this, &MachineHooks::scs_write, this);
  if (err == UC_ERR_OK) {
    err = uc_mmio_map(uc_, kPeripheralBase, kPeripheralSize, &MachineHooks::peripheral_read, this,
                      &MachineHooks::peripheral_write, this);
  }
  if (err != UC_ERR_OK) {
    return {StatusCode::kInternal, fmt::format("uc_mmio_map: {}", uc_strerror(err))};
  }

  uc_hook hook;
  switch (options_.instrumentation) {
    case Instrumentation::kFull:
      err = uc_hook_add(uc_, &hook, UC_HOOK_BLOCK, reinterpret_cast<void*>(&MachineHooks::block),
                        this, 1, 0);
      break;
    case Instrumentation::kEmptyBlockHook:
      err = uc_hook_add(uc_, &hook, UC_HOOK_BLOCK,
                        reinterpret_cast<void*>(&MachineHooks::count_block), this, 1, 0);
      break;
    case Instrumentation::kNone:
      break;
  }
  if (err == UC_ERR_OK) {
    err = uc_hook_add(uc_, &hook, UC_HOOK_INTR, reinterpret_cast<void*>(&MachineHooks::interrupt),
                      this, 1, 0);
  }
  if (err == UC_ERR_OK) {
    err = uc_hook_add(uc_, &hook, UC_HOOK_MEM_INVALID,
                      reinterpret_cast<void*>(&MachineHooks::invalid), this, 1, 0);
  }
  // ARMv6-M faults on every unaligned access (DDI0419E A3.2); Unicorn does not check, so these
  // cores pay for a memory hook. ARMv7-M and later allow unaligned LDR/STR.
  if (err == UC_ERR_OK && is_armv6m(board_.core.kind)) {
    err = uc_hook_add(uc_, &hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
                      reinterpret_cast<void*>(&MachineHooks::aligned), this, 1, 0);
  }
  // Data accesses cost extra cycles only where the memory system says so (flash with wait
  // states, cached SRAM on a Cortex-M7, XIP, slow peripheral buses): hooks only there.
  if (options_.instrumentation == Instrumentation::kFull && !options_.ideal_memory) {
    for (const memory_models::AddressRange& range : memory_->data_hook_ranges()) {
      if (err != UC_ERR_OK) break;
      err = uc_hook_add(uc_, &hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
                        reinterpret_cast<void*>(&MachineHooks::data_access), this, range.base,
                        range.base + (range.size_bytes - 1));
    }
  }
  if (err != UC_ERR_OK) {
    return {StatusCode::kInternal, fmt::format("uc_hook_add: {}", uc_strerror(err))};
  }
  return Status::ok();
}

void Machine::check_flash_wait_states() {
  const memory_models::WaitStateCheck check = memory_->check_wait_states();
  if (check.ok) return;
  const std::string message = check.message();
  if (message == last_wait_state_warning_) return;
  last_wait_state_warning_ = message;
  warn(fmt::format("{} (the flash would return wrong data on silicon)", message));
}

Status Machine::load_image() {
  const std::string file = image_.path().string();
  for (size_t i = 0; i < image_.segments().size(); ++i) {
    const Segment& seg = image_.segments()[i];
    // Where it lives at run time must be memory of the right kind.
    const MemoryRegion* run_region = board_.region_at(seg.run_address, seg.memory_size);
    if (!run_region) {
      return {StatusCode::kInvalidFirmware,
              fmt::format("{}: segment {} (0x{:08x}..0x{:08x}, {} bytes) lies outside the "
                          "memory map of board '{}'{}",
                          file, i, seg.run_address, uint64_t(seg.run_address) + seg.memory_size - 1,
                          seg.memory_size, board_.name,
                          board_.region_at(seg.run_address)
                              ? fmt::format(" (region '{}' is too small)",
                                            board_.region_at(seg.run_address)->name)
                              : "")};
    }
    if (seg.writable && is_read_only(run_region->kind)) {
      return {StatusCode::kInvalidFirmware,
              fmt::format("{}: writable segment {} at 0x{:08x} lies in flash region '{}' of "
                          "board '{}'",
                          file, i, seg.run_address, run_region->name, board_.name)};
    }
    if (seg.bytes.empty()) continue;
    const uint32_t length = static_cast<uint32_t>(seg.bytes.size());
    const MemoryRegion* load_region = board_.region_at(seg.load_address, length);
    if (!load_region) {
      return {StatusCode::kInvalidFirmware,
              fmt::format("{}: segment {} loads {} bytes at 0x{:08x}, outside the memory map of "
                          "board '{}'",
                          file, i, length, seg.load_address, board_.name)};
    }
    // Through our host buffers, not uc_mem_write: flash is mapped read-only.
    const MemoryRegion* real =
        load_region->alias_of.empty() ? load_region : board_.region_named(load_region->alias_of);
    size_t buffer_index = 0;
    for (const MemoryRegion& r : board_.memory) {
      if (&r == real) break;
      if (r.alias_of.empty()) ++buffer_index;
    }
    std::memcpy(ram_[buffer_index].get() + (seg.load_address - load_region->base), seg.bytes.data(),
                length);
  }
  return Status::ok();
}

bool Machine::read_u32(uint32_t address, uint32_t& value) const {
  return uc_mem_read(uc_, address, &value, 4) == UC_ERR_OK;
}

Status Machine::boot() {
  const std::string file = image_.path().string();
  boot_source_ = fetch_source_at(board_, board_.boot_address);
  bool vector_table_loaded = false;
  for (const Segment& seg : image_.segments()) {
    for (uint32_t a : {seg.load_address, seg.run_address}) {
      const MemoryRegion* r = board_.region_at(a, 1);
      const MemoryRegion* boot = board_.region_at(board_.boot_address, 8);
      // Compare in the same physical region (aliases resolve to their target).
      auto real = [&](const MemoryRegion* x) -> std::pair<std::string, uint32_t> {
        if (!x) return {"", 0};
        return x->alias_of.empty() ? std::pair{x->name, x->base} : std::pair{x->alias_of, x->base};
      };
      if (r && boot && real(r).first == real(boot).first) {
        const uint64_t seg_offset = uint64_t(a) - r->base;
        const uint64_t boot_offset = uint64_t(board_.boot_address) - boot->base;
        if (boot_offset >= seg_offset && boot_offset + 8 <= seg_offset + seg.bytes.size()) {
          vector_table_loaded = true;
        }
      }
    }
  }
  if (!vector_table_loaded) {
    return {StatusCode::kInvalidFirmware,
            fmt::format("{}: no vector table at the boot address 0x{:08x} of board '{}' (no "
                        "loaded bytes there); is the firmware linked for this board?",
                        file, board_.boot_address, board_.name)};
  }
  uint32_t sp = 0, pc = 0;
  read_u32(board_.boot_address, sp);
  read_u32(board_.boot_address + 4, pc);
  const MemoryRegion* stack_region = board_.region_at(sp - 4, 4);
  if (!stack_region || is_read_only(stack_region->kind) || (sp & 3)) {
    return {StatusCode::kInvalidFirmware,
            fmt::format("{}: initial stack pointer 0x{:08x} (vector 0) is not the top of a "
                        "word-aligned stack in SRAM of board '{}'",
                        file, sp, board_.name)};
  }
  if (!(pc & 1)) {
    return {
        StatusCode::kInvalidFirmware,
        fmt::format("{}: reset vector 0x{:08x} has bit 0 clear: not a Thumb address", file, pc)};
  }
  if (!board_.region_at(pc & ~1u, 2)) {
    return {StatusCode::kInvalidFirmware,
            fmt::format("{}: reset vector 0x{:08x} points outside the memory map of board '{}'",
                        file, pc, board_.name)};
  }
  set_reg(UC_ARM_REG_MSP, sp);
  set_reg(UC_ARM_REG_SP, sp);
  reset_pc_ = pc & ~1u;
  pc_ = reset_pc_;
  return Status::ok();
}

uint32_t Machine::reg(int id) const {
  uint32_t value = 0;
  uc_reg_read(uc_, id, &value);
  return value;
}

void Machine::set_reg(int id, uint32_t value) {
  uc_reg_write(uc_, id, &value);
}

void Machine::warn(const std::string& message) {
  if (warning_sink_) warning_sink_(message);
}

std::string Machine::location_of_current_block() const {
  if (!current_) return image_.describe_address(pc_);
  return image_.describe_address(current_->timing.start_address);
}

power_models::EventCounts Machine::event_counts() const {
  power_models::EventCounts c;
  c.cycles_by_source = source_cycles_;
  c.cycles_by_source[static_cast<int>(boot_source_)] += exception_cycles_;
  c.instructions_by_class = class_instructions_;
  const memory_models::MemoryCounters& m = memory_->counters();
  c.flash_line_reads = m.flash_fetch_reads + m.flash_prefetch_reads + m.flash_data_reads;
  for (const memory_models::CacheCounters* cache :
       {&m.flash_icache, &m.flash_dcache, &m.l1_icache, &m.l1_dcache, &m.xip_cache}) {
    c.cache_hits += cache->hits();
    c.cache_misses += cache->misses();
  }
  c.stall_cycles = m.fetch_stall_cycles + m.data_stall_cycles;
  c.sleep_cycles = sleep_cycles_;
  return c;
}

// --- hot path ---

Machine::CachedBlock& Machine::lookup_block(uint32_t address, uint32_t size) {
  auto [it, inserted] = blocks_.try_emplace(address);
  CachedBlock& block = it->second;
  if (inserted || block.size_bytes != size) decode_block(address, size, block);
  return block;
}

void Machine::decode_block(uint32_t address, uint32_t size, CachedBlock& block) {
  std::vector<uint8_t> bytes(size);
  block.insns.clear();
  block.probes.clear();
  block.attention = 0;
  block.instrumented = false;
  block.size_bytes = size;
  block.timing = {};
  block.timing.start_address = address;
  block.timing.end_address = address + size;
  if (uc_mem_read(uc_, address, bytes.data(), size) != UC_ERR_OK) return;
  // A block that starts inside an IT block (after an exception return, say): ITSTATE in
  // xPSR[15:10] and [26:25]; the lowest set bit of its low nibble tells how many remain.
  unsigned it_remaining = 0;
  const uint32_t xpsr = reg(UC_ARM_REG_XPSR);
  const uint32_t itstate = ((xpsr >> 8) & 0xFC) | ((xpsr >> 25) & 0x3);
  if (itstate & 0xF) it_remaining = std::min(3, 4 - __builtin_ctz(itstate & 0xF));
  decoder_->decode(bytes, address, block.insns, SIZE_MAX, it_remaining);
  if (block.insns.empty()) return;
  model_->analyse_block(block.insns, block.timing);
  block.probes = block.timing.operand_probes;
  for (size_t i = 0; i < block.insns.size(); ++i) {
    const cpu_models::Instruction& insn = block.insns[i];
    if (insn.cls != cpu_models::InsnClass::kDiv) continue;
    // Every divide is probed (for CCR.DIV_0_TRP) even where its cost does not vary (M7).
    const bool probed = std::any_of(block.probes.begin(), block.probes.end(),
                                    [&](const auto& p) { return p.address == insn.address; });
    if (!probed) {
      cpu_models::OperandProbe p;
      p.address = insn.address;
      p.index = static_cast<uint16_t>(i);
      p.reg_a = insn.value_reg_a;
      p.reg_b = insn.value_reg_b;
      p.kind = cpu_models::OperandCost::kDivide;
      p.assumed_cycles = UINT8_MAX;  // marks "no operand cost": only the trap is checked
      block.probes.push_back(p);
    }
  }
  std::sort(block.probes.begin(), block.probes.end(),
            [](const auto& a, const auto& b) { return a.address < b.address; });
  if (!block.probes.empty()) block.attention |= kAttentionProbe;
  block.fetch_free = options_.ideal_memory || memory_->fetch_is_free(address);
  block.energy = {};
  block.energy.source = fetch_source_at(board_, address);
  for (const cpu_models::Instruction& insn : block.insns)
    ++block.energy.instructions[static_cast<int>(power_models::energy_class_of(insn.cls))];
}

void Machine::on_block(uint32_t address, uint32_t size) {
  if (current_) retire_current(address);
  CachedBlock& block = lookup_block(address, size);
  if (cycles_ >= next_check_cycle_ ||
      instructions_ + block.timing.instruction_count > instruction_limit_ || block.attention ||
      --blocks_until_clock_check_ == 0) {
    if (!slow_block_checks(address, block)) {
      // Stopped before the block runs: it resumes here. Unicorn's PC register is not reliable
      // at this point: after a block that ended without a branch (an ISB, say), QEMU chains
      // into this one without storing the PC, so it still holds an older address.
      stopped_before_ = address;
      return;
    }
  }
  current_ = &block;
  block_start_cycles_ = cycles_;
  instructions_ += block.timing.instruction_count;
  precise_pc_ = 0;
  mmio_accesses_in_block_ = 0;
  accesses_in_block_ = 0;
}

bool Machine::slow_block_checks(uint32_t address, CachedBlock& block) {
  if (request_ == Request::kBudgetPartial) {
    // The final, partial block of a budget: Unicorn counts its instructions for us.
    return true;
  }
  if (blocks_until_clock_check_ == 0) {
    blocks_until_clock_check_ = kBlocksPerClockCheck;
    if (cancel_requested_.load(std::memory_order_relaxed)) {
      stop_with(StopReason::kCancelled);
      return false;
    }
    if (deadline_seconds_ > 0 && host_now() >= deadline_seconds_) {
      stop_with(StopReason::kTimeout);
      return false;
    }
  }
  if (block.attention) {
    instrument_target_ = &block;
    request(Request::kInstrument);
    return false;
  }
  scs_->advance_systick(cycles_);
  if (scs_->nvic().any_pending()) {
    bool primask, faultmask;
    uint8_t basepri;
    interrupts_masked_state(primask, basepri, faultmask);
    const int priority = scs_->nvic().execution_priority(primask, basepri, faultmask);
    if (auto e = scs_->nvic().exception_to_take(priority)) {
      pending_exception_ = *e;
      request(Request::kTakeException);
      return false;
    }
  }
  if (cycles_ >= cycle_limit_) {
    stop_with(StopReason::kCycleBudget);
    return false;
  }
  // A budget that ends inside this block: run just the instructions that fit.
  const cpu_models::BlockTiming& t = block.timing;
  uint64_t fit = t.instruction_count;
  if (instructions_ + t.instruction_count > instruction_limit_) {
    fit = instruction_limit_ - instructions_;
    budget_reason_ = StopReason::kInstructionBudget;
  }
  if (cycle_limit_ != UINT64_MAX && cycles_ + t.static_cycles > cycle_limit_) {
    uint64_t n = 0;
    while (n < t.prefix_cycles.size() && cycles_ + t.prefix_cycles[n] < cycle_limit_) ++n;
    if (n < fit) {
      fit = n;
      budget_reason_ = StopReason::kCycleBudget;
    }
  }
  if (fit < t.instruction_count) {
    if (fit == 0) {
      stop_with(budget_reason_);
      return false;
    }
    partial_instructions_ = fit;
    request(Request::kBudgetPartial);
    return false;
  }
  (void)address;
  recompute_next_check();
  return true;
}

void Machine::recompute_next_check() {
  next_check_cycle_ = std::min(cycle_limit_, scs_->next_systick_event());
  // A pending exception that is masked now may be taken after the next CPSIE/MSR: look again
  // at every block while one waits.
  if (scs_->nvic().any_pending()) next_check_cycle_ = 0;
}

uint32_t Machine::core_reg(uint8_t n) const {
  switch (n) {
    case 13:
      return reg(UC_ARM_REG_SP);
    case 14:
      return reg(UC_ARM_REG_LR);
    case 15:
      return reg(UC_ARM_REG_PC);
    default:
      return n <= 12 ? reg(UC_ARM_REG_R0 + n) : 0;
  }
}

void Machine::on_code(uint32_t address) {
  // Only a hook over the whole block tracks the executing instruction; a probe's hook fires on
  // its instruction alone, and the instructions after it would be taken for the probed one.
  if (current_ && current_->instrumented) precise_pc_ = address;
  if (!current_ || current_->probes.empty()) return;
  for (const cpu_models::OperandProbe& probe : current_->probes) {
    if (probe.address != address) continue;
    const uint32_t a = core_reg(probe.reg_a), b = core_reg(probe.reg_b);
    if (probe.kind == cpu_models::OperandCost::kDivide && b == 0 && scs_->div0_trap()) {
      raise_fault("UsageFault", "divide by zero (CCR.DIV_0_TRP is set)", kDivbyzero, std::nullopt,
                  address);
      return;
    }
    if (probe.assumed_cycles != UINT8_MAX) cycles_ += cpu_models::operand_extra_cycles(probe, a, b);
    return;
  }
}

const cpu_models::Instruction* Machine::instruction_at_access(uint32_t ordinal,
                                                              bool mmio_only) const {
  // The n-th data access of the block execution came from the instruction whose accesses
  // cover n. With mmio_only, only accesses that can reach memory-mapped registers count: those
  // not based on SP or PC.
  uint32_t seen = 0;
  for (const cpu_models::Instruction& insn : current_->insns) {
    if (insn.access_bytes == 0 && insn.reg_count == 0) continue;
    const bool multiple = insn.cls == cpu_models::InsnClass::kLoadMultiple ||
                          insn.cls == cpu_models::InsnClass::kLoadMultiplePc ||
                          insn.cls == cpu_models::InsnClass::kStoreMultiple ||
                          insn.cls == cpu_models::InsnClass::kFpLoadMultiple ||
                          insn.cls == cpu_models::InsnClass::kFpStoreMultiple;
    if (!multiple && insn.access_bytes == 0) continue;
    if (mmio_only && (insn.address_base_reg == 13 || insn.address_base_reg == 15)) continue;
    const uint32_t accesses = multiple ? std::max<uint32_t>(1, insn.reg_count)
                              : insn.access_bytes == 8 &&
                                      insn.cls != cpu_models::InsnClass::kFpLoad &&
                                      insn.cls != cpu_models::InsnClass::kFpStore
                                  ? 2
                                  : 1;
    if (ordinal < seen + accesses) return &insn;
    seen += accesses;
  }
  return nullptr;
}

void Machine::fetch_fault(uint32_t address) {
  // The Peripheral, Device and System regions are execute-never (DDI0403E B3.1, Table B3-1).
  if ((address >= 0x40000000 && address < 0x60000000) || address >= 0xA0000000) {
    raise_fault("MemManageFault",
                fmt::format("instruction fetch from 0x{:08x}: execute-never region", address),
                kIaccviol, address, address);
  } else {
    raise_fault("BusFault",
                fmt::format("instruction fetch from 0x{:08x}: no memory there", address), kIbuserr,
                address, address);
  }
}

void Machine::request(Request r) {
  request_ = r;
  uc_emu_stop(uc_);
}

void Machine::stop_with(StopReason reason) {
  if (!stop_reason_) stop_reason_ = reason;
  request(Request::kStop);
}

void Machine::on_interrupt(uint32_t intno) {
  const uint32_t pc = reg(UC_ARM_REG_PC);
  switch (intno) {
    case kExcpSwi:
      request(Request::kSvc);
      return;
    case kExcpBkpt:
      request(Request::kBkpt);
      return;
    case kExcpPrefetchAbort:
    case kExcpExceptionExit:
      if (pc >= 0xFFFFFF00) {  // a branch to an EXC_RETURN value
        exc_return_ = pc | 1u;
        request(Request::kExceptionReturn);
        return;
      }
      fetch_fault(pc);
      return;
    case kExcpUdef:
      raise_fault("UsageFault", "undefined instruction", kUndefinstr, std::nullopt, pc);
      return;
    case kExcpNocp:
      raise_fault("UsageFault", "coprocessor (FPU) access while disabled", kNocp, std::nullopt, pc);
      return;
    case kExcpInvstate:
      raise_fault("UsageFault", "invalid state: branch to an ARM (even) address", kInvstate,
                  std::nullopt, pc);
      return;
    default:
      raise_fault("HardFault", fmt::format("unexpected CPU exception {}", intno), 0, std::nullopt,
                  pc);
      return;
  }
}

bool Machine::on_invalid_memory(int type, uint64_t address, int size) {
  invalid_access_ = InvalidAccess{type, address, size};
  return false;  // Unicorn stops with the matching UC_ERR_*
}

void Machine::on_aligned_check(uint64_t address, int size, bool write) {
  const uint32_t ordinal = accesses_in_block_++;
  if (size <= 1 || (address & uint64_t(size - 1)) == 0) return;
  if (!precise_pc_ && current_) {
    if (const cpu_models::Instruction* insn = instruction_at_access(ordinal, false)) {
      precise_pc_ = insn->address;
    }
  }
  raise_fault("HardFault",
              fmt::format("unaligned {} of {} bytes at 0x{:08x} (ARMv6-M requires natural "
                          "alignment)",
                          write ? "write" : "read", size, address),
              kUnaligned, static_cast<uint32_t>(address),
              precise_pc_ ? std::optional<uint32_t>(precise_pc_) : std::nullopt);
}

uint64_t Machine::on_peripheral_read(uint64_t offset, unsigned size) {
  now_cycles();  // counts the access (which instruction of the block made it)
  const uint32_t address = kPeripheralBase + static_cast<uint32_t>(offset);
  if (memory_->owns_register(address)) return memory_->register_read(address, size);
  warn_peripheral(address, size, false);
  return 0;
}

void Machine::on_peripheral_write(uint64_t offset, unsigned size, uint64_t value) {
  now_cycles();
  const uint32_t address = kPeripheralBase + static_cast<uint32_t>(offset);
  if (memory_->owns_register(address)) {
    // Like silicon, the firmware's flash configuration (FLASH_ACR latency, prefetch, caches)
    // takes effect at once.
    memory_->register_write(address, size, static_cast<uint32_t>(value));
    check_flash_wait_states();
    return;
  }
  warn_peripheral(address, size, true);
}

void Machine::warn_peripheral(uint32_t address, unsigned size, bool write) {
  if (!warned_peripherals_.insert(address).second) return;
  warn(
      fmt::format("peripheral register 0x{:08x} ({}-byte {} in the block at {}) is not modelled: "
                  "reads as zero, writes are ignored",
                  address, size, write ? "write" : "read", location_of_current_block()));
}

// --- ScsHost ---

uint64_t Machine::now_cycles() {
  const uint32_t ordinal = mmio_accesses_in_block_++;
  if (!current_) return cycles_;
  // The block's start plus what the model adds before its first instruction (a stall, a
  // branch target's refill), plus the cycles before the instruction within the block.
  auto prefix_of = [&](uint32_t address) -> std::optional<uint64_t> {
    for (size_t i = 0; i < current_->insns.size(); ++i) {
      if (current_->insns[i].address == address) {
        return static_cast<uint64_t>(current_->timing.prefix_cycles[i] +
                                     model_->entry_cycles(current_->timing));
      }
    }
    return std::nullopt;
  };
  if (precise_pc_) {
    if (auto prefix = prefix_of(precise_pc_)) return cycles_ + *prefix;
  }
  // Without a per-instruction hook, the n-th memory-mapped access of the block is taken to come
  // from the n-th load or store not based on SP or PC. Exact unless such an instruction
  // touched RAM first; the block is then instrumented so later executions are exact.
  const cpu_models::Instruction* insn = instruction_at_access(ordinal, true);
  if (!current_->instrumented) {
    size_t candidates = 0;
    for (const cpu_models::Instruction& i : current_->insns) {
      if ((i.access_bytes || i.reg_count) && i.address_base_reg != 13 && i.address_base_reg != 15) {
        ++candidates;
      }
    }
    if (candidates > 1) current_->attention |= kAttentionPrecise;
  }
  if (insn) {
    if (auto prefix = prefix_of(insn->address)) return cycles_ + *prefix;
  }
  return cycles_;
}

void Machine::itm_write(uint32_t port, uint32_t value, unsigned size_bytes, uint64_t cycles) {
  if (port == 0) {
    char bytes[4];
    for (unsigned i = 0; i < size_bytes && i < 4; ++i)
      bytes[i] = static_cast<char>(value >> (8 * i));
    if (console_) console_(1, std::string_view(bytes, std::min(size_bytes, 4u)));
    return;
  }
  if (observer_) observer_->on_itm_write(port, value, cycles);
}

void Machine::reset_requested() {
  stop_with(StopReason::kResetRequest);
}

void Machine::exceptions_changed() {
  next_check_cycle_ = 0;
}

uint32_t Machine::current_exception() {
  return reg(UC_ARM_REG_IPSR) & 0x1FF;
}

// --- run loop ---

RunResult Machine::run(const RunOptions& options) {
  run_options_ = options;
  instruction_limit_ = options.max_instructions ? options.max_instructions : UINT64_MAX;
  cycle_limit_ = options.max_cycles ? options.max_cycles : UINT64_MAX;
  run_start_seconds_ = host_now();
  deadline_seconds_ =
      options.timeout_seconds > 0 ? run_start_seconds_ + options.timeout_seconds : 0;
  blocks_until_clock_check_ = 1;
  stop_reason_.reset();
  fault_.reset();
  cancel_requested_.store(false);
  RunResult result;

  while (!stop_reason_) {
    request_ = Request::kNone;
    invalid_access_.reset();
    recompute_next_check();
    const uint64_t count = request_ == Request::kBudgetPartial ? partial_instructions_ : 0;
    stopped_before_.reset();
    const uc_err err = uc_emu_start(uc_, pc_ | 1u, kNoUntil, 0, count);
    const uint32_t pc = stopped_before_ ? *stopped_before_ : reg(UC_ARM_REG_PC);
    if (err != UC_ERR_OK) {
      handle_unicorn_error(err, pc);
      break;
    }
    pc_ = pc;
    switch (request_) {
      case Request::kNone: {
        // Unicorn stopped by itself: the core executed WFI or WFE (QEMU halts).
        retire_current(pc);
        if (!sleep_until_event()) stop_with(StopReason::kSleepForever);
        break;
      }
      case Request::kStop:
        if (fault_) {
          retire_partial(fault_->pc);
        } else {
          retire_current(pc);
        }
        break;
      case Request::kTakeException:
        enter_exception(pending_exception_, pc);
        break;
      case Request::kSvc:
        retire_current(pc);
        if (!enter_exception(Nvic::kSvcall, pc)) break;
        break;
      case Request::kBkpt:
        retire_current(pc);
        handle_breakpoint(pc, result);
        break;
      case Request::kExceptionReturn: {
        const uint32_t branch_pc = current_ ? current_->insns.back().address : pc;
        retire_current(exc_return_ & ~1u);
        const bool fp_frame = !(exc_return_ & 0x10u);
        if (!return_from_exception(exc_return_, branch_pc)) break;
        // A pending exception that preempts the state returned to is tail-chained: the core
        // skips the unstack and restack (DDI0403E B1.5.12), paying the tail-chain latency only.
        bool primask, faultmask;
        uint8_t basepri;
        interrupts_masked_state(primask, basepri, faultmask);
        const int priority = scs_->nvic().execution_priority(primask, basepri, faultmask);
        if (auto next = scs_->nvic().exception_to_take(priority)) {
          enter_exception(*next, pc_, /*tail_chain=*/true);
        } else {
          const cpu_models::ExceptionTiming& t = model_->exception_timing();
          // With lazy stacking (FPCCR.LSPEN) the FP registers are saved only when the handler
          // runs an FP instruction, which is not tracked: a handler that runs none leaves
          // FPCCR.LSPACT set and the return restores no FP registers (DDI0403E B1.5.8,
          // PopStack), an integer return. The entry latency follows the same rule.
          const uint32_t exit_cycles = fp_frame && !scs_->lazy_fp_stacking() ? t.exit_fp : t.exit;
          cycles_ += exit_cycles;
          exception_cycles_ += exit_cycles;
          model_->flush_pipeline();
        }
        break;
      }
      case Request::kInstrument:
        if (instrument_target_) instrument(*instrument_target_);
        break;
      case Request::kFlushTranslations:
        uc_ctl_flush_tlb(uc_);
        break;
      case Request::kBudgetPartial: {
        // Unicorn ran `partial_instructions_` of the block; the budget is spent.
        if (current_) retire_first(partial_instructions_, pc);
        stop_with(budget_reason_);
        break;
      }
    }
  }

  result.reason = *stop_reason_;  // exit_code and exit_reason come from handle_breakpoint
  result.fault = fault_;
  result.stop_pc = fault_ ? fault_->pc : pc_;
  result.stop_location = image_.describe_address(result.stop_pc);
  result.instructions = instructions_;
  result.cycles = cycles_;
  result.sleep_cycles = sleep_cycles_;
  result.exceptions_taken = exceptions_taken_;
  result.fetch_stall_cycles = memory_->counters().fetch_stall_cycles;
  result.data_stall_cycles = memory_->counters().data_stall_cycles;
  result.events = event_counts();
  result.simulated_seconds = double(cycles_) / double(board_.clock_hz);
  result.host_seconds = host_now() - run_start_seconds_;
  return result;
}

void Machine::retire_current(uint32_t next_address) {
  if (!current_) return;
  // The block's cycles: the core model's, the instruction fetch's stalls, and what was added
  // while it ran (operand-dependent cycles, data access stalls).
  uint64_t cycles = model_->retire_block(current_->timing, next_address);
  if (!current_->fetch_free) {
    cycles +=
        memory_->fetch_stall_cycles(current_->timing.start_address, current_->timing.end_address,
                                    static_cast<uint32_t>(cycles));
  }
  cycles += cycles_ - block_start_cycles_;
  if (observer_) [[unlikely]] {
    notify_block(*current_, next_address, block_start_cycles_, cycles,
                 current_->timing.instruction_count, &current_->energy);
  }
  add_energy_counts(current_->energy, cycles);
  cycles_ = block_start_cycles_ + cycles;
  current_ = nullptr;
}

void Machine::notify_block(const CachedBlock& block, uint32_t next_address, uint64_t start_cycle,
                           uint64_t cycles, uint32_t instructions,
                           const power_models::BlockEnergyCounts* energy) {
  RetiredBlock r;
  r.start_address = block.timing.start_address;
  r.end_address = block.timing.end_address;
  r.next_address = next_address;
  r.instructions = instructions;
  r.start_cycle = start_cycle;
  r.cycles = cycles;
  r.insns = block.insns;
  r.energy = energy;
  observer_->on_block(r);
}

bool Machine::read_memory(uint32_t address, void* out, size_t size) const {
  return uc_mem_read(uc_, address, out, size) == UC_ERR_OK;
}

bool Machine::write_memory(uint32_t address, const void* data, size_t size) {
  return uc_mem_write(uc_, address, data, size) == UC_ERR_OK;
}

void Machine::retire_partial(uint32_t faulting_pc) {
  if (!current_) return;
  // Instructions before the faulting one completed; it and the rest of the block did not.
  size_t index = 0;
  while (index < current_->insns.size() && current_->insns[index].address != faulting_pc) ++index;
  if (index < current_->insns.size()) {
    retire_first(index, faulting_pc);
  } else {
    retire_current(faulting_pc);
  }
}

void Machine::retire_first(size_t count, uint32_t next_address) {
  const cpu_models::BlockTiming& t = current_->timing;
  const uint64_t cycles =
      (count < t.prefix_cycles.size() ? t.prefix_cycles[count] : t.static_cycles) +
      (cycles_ - block_start_cycles_);
  // The energy counts of the instructions that completed.
  power_models::BlockEnergyCounts energy;
  energy.source = current_->energy.source;
  for (size_t i = 0; i < count && i < current_->insns.size(); ++i)
    ++energy.instructions[static_cast<int>(power_models::energy_class_of(current_->insns[i].cls))];
  if (observer_) {
    notify_block(*current_, next_address, block_start_cycles_, cycles, static_cast<uint32_t>(count),
                 &energy);
  }
  add_energy_counts(energy, cycles);
  cycles_ = block_start_cycles_ + cycles;
  instructions_ -= t.instruction_count - count;
  current_ = nullptr;
}

void Machine::instrument(CachedBlock& block) {
  auto add_hook = [&](uint32_t first, uint32_t last) {
    uc_hook hook;
    if (uc_hook_add(uc_, &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&MachineHooks::code), this,
                    first, last) == UC_ERR_OK) {
      block.hooks.push_back(hook);
    }
  };
  const uint32_t start = block.timing.start_address;
  const uint32_t end = block.timing.end_address;
  if (block.attention & kAttentionPrecise) {
    // One hook over the whole block replaces the single-instruction probes.
    for (uc_hook h : block.hooks) uc_hook_del(uc_, h);
    block.hooks.clear();
    add_hook(start, end - 1);
    block.instrumented = true;
  } else if (!block.instrumented) {
    for (const cpu_models::OperandProbe& probe : block.probes) {
      add_hook(probe.address, probe.address + 1);
    }
  }
  // Retranslate so the new hooks are compiled into the block.
  uc_ctl_remove_cache(uc_, start, end);
  block.attention = 0;
  instrument_target_ = nullptr;
}

bool Machine::interrupts_masked_state(bool& primask, uint8_t& basepri, bool& faultmask) {
  primask = reg(UC_ARM_REG_PRIMASK) & 1;
  basepri = static_cast<uint8_t>(reg(UC_ARM_REG_BASEPRI));
  faultmask = reg(UC_ARM_REG_FAULTMASK) & 1;
  return primask || basepri || faultmask;
}

bool Machine::handle_breakpoint(uint32_t pc, RunResult& result) {
  uint16_t insn = 0;
  uc_mem_read(uc_, pc, &insn, 2);
  if ((insn & 0xFF00) == 0xBE00 && (insn & 0xFF) == 0xAB) {
    const SemihostingResult r =
        semihosting_->call(uc_, reg(UC_ARM_REG_R0), reg(UC_ARM_REG_R1), cycles_);
    if (r.warning) warn(*r.warning);
    if (r.exit_code) {
      result.exit_code = *r.exit_code;
      result.exit_reason = r.exit_reason;
      stop_with(StopReason::kExit);
      return false;
    }
    set_reg(UC_ARM_REG_R0, r.r0);
    pc_ = pc + 2;
    return true;
  }
  stop_with(StopReason::kBreakpoint);
  return false;
}

bool Machine::sleep_until_event() {
  // WFI wakes on any pending exception that would preempt with PRIMASK ignored (B1.5.19).
  bool primask, faultmask;
  uint8_t basepri;
  interrupts_masked_state(primask, basepri, faultmask);
  const int priority = scs_->nvic().execution_priority(false, basepri, faultmask);
  if (scs_->nvic().exception_to_take(priority)) return true;
  const uint64_t wake = scs_->next_systick_event();
  if (wake == UINT64_MAX) return false;  // nothing will ever wake the core
  const uint64_t until = std::min(wake, cycle_limit_);
  if (until > cycles_) {
    sleep_cycles_ += until - cycles_;
    cycles_ = until;
  }
  scs_->advance_systick(cycles_);
  if (cycles_ >= cycle_limit_) stop_with(StopReason::kCycleBudget);
  return true;
}

// Exception entry: ARMv7-M ARM B1.5.6 (PushStack, ExceptionTaken).
bool Machine::enter_exception(int exception, uint32_t return_address, bool tail_chain) {
  const uint32_t control = reg(UC_ARM_REG_CONTROL);
  const uint32_t ipsr = reg(UC_ARM_REG_IPSR) & 0x1FF;
  const bool handler_mode = ipsr != 0;
  const bool use_psp = !handler_mode && (control & 2u);
  const bool fp_frame = board_.core.fpu != FpuKind::kNone && (control & 4u);
  const uint32_t sp = use_psp ? reg(UC_ARM_REG_PSP) : reg(UC_ARM_REG_MSP);
  const uint32_t frame_size = fp_frame ? 0x68 : 0x20;
  const bool realigned = (sp & 4u) != 0;  // CCR.STKALIGN is one on every modelled core
  const uint32_t frame = (sp - frame_size) & ~7u;

  uint32_t words[26] = {};
  const int core_regs[] = {UC_ARM_REG_R0, UC_ARM_REG_R1,  UC_ARM_REG_R2,
                           UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR};
  for (int i = 0; i < 6; ++i) words[i] = reg(core_regs[i]);
  words[6] = return_address & ~1u;
  words[7] = (reg(UC_ARM_REG_XPSR) & ~(1u << 9)) | (realigned ? 1u << 9 : 0);
  if (fp_frame) {
    for (int i = 0; i < 16; ++i) words[8 + i] = reg(UC_ARM_REG_S0 + i);
    words[24] = reg(UC_ARM_REG_FPSCR);
  }
  if (uc_mem_write(uc_, frame, words, frame_size) != UC_ERR_OK) {
    raise_fault(use_psp ? "BusFault" : "BusFault",
                fmt::format("stacking for exception {} failed: stack at 0x{:08x} is not writable "
                            "memory (stack overflow?)",
                            exception, frame),
                kStkerr, frame, return_address);
    (void)kMstkerr;
    stop_reason_ = StopReason::kFault;
    return false;
  }
  uint32_t vector = 0;
  if (!read_u32(scs_->vtor() + 4u * uint32_t(exception), vector) || !(vector & 1u)) {
    raise_fault("UsageFault",
                fmt::format("vector {} (at 0x{:08x}) is 0x{:08x}: not a Thumb handler address",
                            exception, scs_->vtor() + 4u * uint32_t(exception), vector),
                kInvstate, std::nullopt, return_address);
    stop_reason_ = StopReason::kFault;
    return false;
  }
  // Leave thread mode on the main stack first, so QEMU swaps the banked SP (SPSEL, FPCA clear).
  set_reg(UC_ARM_REG_CONTROL, control & ~6u);
  if (use_psp) {
    set_reg(UC_ARM_REG_PSP, frame);
  } else {
    set_reg(UC_ARM_REG_MSP, frame);
  }
  set_reg(UC_ARM_REG_IPSR, static_cast<uint32_t>(exception));
  set_reg(UC_ARM_REG_LR,
          0xFFFFFFE1u | (fp_frame ? 0 : 0x10u) | (handler_mode ? 0 : 0x8u) | (use_psp ? 0x4u : 0));
  scs_->nvic().activate(exception);
  active_exceptions_.push_back(exception);
  ++exceptions_taken_;
  if (observer_) observer_->on_exception_entry(exception, return_address, cycles_);
  pc_ = vector & ~1u;
  // Latency from the core model; an FP frame costs more only when stacked eagerly.
  const cpu_models::ExceptionTiming& t = model_->exception_timing();
  const uint32_t entry_cycles =
      tail_chain ? t.tail_chain : (fp_frame && !scs_->lazy_fp_stacking() ? t.entry_fp : t.entry);
  cycles_ += entry_cycles;
  exception_cycles_ += entry_cycles;
  model_->flush_pipeline();
  return true;
}

// Exception return: ARMv7-M ARM B1.5.8 (ExceptionReturn, PopStack).
bool Machine::return_from_exception(uint32_t exc_return, uint32_t branch_pc) {
  const uint32_t low = exc_return & 0xFF;
  const bool valid =
      low == 0xF1 || low == 0xF9 || low == 0xFD ||
      (board_.core.fpu != FpuKind::kNone && (low == 0xE1 || low == 0xE9 || low == 0xED));
  if (!valid || active_exceptions_.empty()) {
    raise_fault("UsageFault",
                fmt::format("invalid exception return value 0x{:08x}{}", exc_return,
                            active_exceptions_.empty() ? " (no exception is active)" : ""),
                kInvpc, std::nullopt, branch_pc);
    stop_reason_ = StopReason::kFault;
    return false;
  }
  const bool to_thread = exc_return & 0x8u;
  const bool from_psp = exc_return & 0x4u;
  const bool fp_frame = !(exc_return & 0x10u);
  const uint32_t sp = from_psp ? reg(UC_ARM_REG_PSP) : reg(UC_ARM_REG_MSP);
  const uint32_t frame_size = fp_frame ? 0x68 : 0x20;
  uint32_t words[26] = {};
  if (uc_mem_read(uc_, sp, words, frame_size) != UC_ERR_OK) {
    raise_fault("BusFault",
                fmt::format("unstacking on exception return failed: 0x{:08x} is not memory", sp),
                1u << 11 /* UNSTKERR */, sp, std::nullopt);
    stop_reason_ = StopReason::kFault;
    return false;
  }
  const int exception = active_exceptions_.back();
  active_exceptions_.pop_back();
  scs_->nvic().deactivate(exception);

  const int core_regs[] = {UC_ARM_REG_R0, UC_ARM_REG_R1,  UC_ARM_REG_R2,
                           UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR};
  for (int i = 0; i < 6; ++i) set_reg(core_regs[i], words[i]);
  if (fp_frame) {
    for (int i = 0; i < 16; ++i) set_reg(UC_ARM_REG_S0 + i, words[8 + i]);
    set_reg(UC_ARM_REG_FPSCR, words[24]);
  }
  const uint32_t xpsr = words[7];
  const uint32_t new_sp = sp + frame_size + ((xpsr & (1u << 9)) ? 4u : 0u);
  const uint32_t control = reg(UC_ARM_REG_CONTROL);
  set_reg(UC_ARM_REG_XPSR, xpsr & ~(1u << 9));
  set_reg(UC_ARM_REG_IPSR, to_thread ? 0 : (xpsr & 0x1FF));
  set_reg(UC_ARM_REG_CONTROL,
          (control & ~6u) | (to_thread && from_psp ? 2u : 0) | (fp_frame ? 4u : 0));
  if (from_psp) {
    set_reg(UC_ARM_REG_PSP, new_sp);
  } else {
    set_reg(UC_ARM_REG_MSP, new_sp);
  }
  pc_ = words[6] & ~1u;
  exceptions_changed();
  if (observer_) observer_->on_exception_return(exception, pc_, cycles_);
  return true;
}

void Machine::raise_fault(const std::string& kind, const std::string& detail, uint32_t cfsr_bits,
                          std::optional<uint32_t> address, std::optional<uint32_t> pc) {
  if (fault_) return;  // the first fault is the one to report
  // ARMv6-M has only HardFault and no fault status registers (DDI0419E B1.5.2).
  const bool v6m = is_armv6m(board_.core.kind);
  scs_->record_fault(v6m ? 0 : cfsr_bits, v6m ? 0 : 0, address);
  FaultReport f;
  f.kind = v6m ? "HardFault" : kind;
  f.detail = detail;
  f.address = address;
  f.pc = pc ? *pc : (precise_pc_ ? precise_pc_ : reg(UC_ARM_REG_PC));
  f.lr = reg(UC_ARM_REG_LR);
  f.sp = reg(UC_ARM_REG_SP);
  f.xpsr = reg(UC_ARM_REG_XPSR);
  for (int i = 0; i < 13; ++i) f.r[i] = reg(UC_ARM_REG_R0 + i);
  f.cfsr = scs_->cfsr();
  f.hfsr = scs_->hfsr();
  f.pc_location = image_.describe_address(f.pc);
  f.lr_location = image_.describe_address(f.lr);
  fault_ = std::move(f);
  stop_with(StopReason::kFault);
}

void Machine::handle_unicorn_error(int err, uint32_t pc) {
  const bool v6m = is_armv6m(board_.core.kind);
  (void)v6m;
  const std::string where =
      invalid_access_ ? fmt::format("0x{:08x}", static_cast<uint32_t>(invalid_access_->address))
                      : "";
  const uint32_t address = invalid_access_ ? static_cast<uint32_t>(invalid_access_->address) : pc;
  const int size = invalid_access_ ? invalid_access_->size : 0;
  switch (err) {
    case UC_ERR_READ_UNMAPPED:
      raise_fault("BusFault",
                  fmt::format("precise data bus error: read of {} bytes at {} (no memory there)",
                              size, where),
                  kPreciserr, address, pc);
      break;
    case UC_ERR_WRITE_UNMAPPED:
      raise_fault("BusFault",
                  fmt::format("precise data bus error: write of {} bytes at {} (no memory there)",
                              size, where),
                  kPreciserr, address, pc);
      break;
    case UC_ERR_WRITE_PROT:
      raise_fault("BusFault",
                  fmt::format("precise data bus error: write of {} bytes at {} (read-only flash)",
                              size, where),
                  kPreciserr, address, pc);
      break;
    case UC_ERR_READ_PROT:
      raise_fault("BusFault", fmt::format("read of {} bytes at {} not permitted", size, where),
                  kPreciserr, address, pc);
      break;
    case UC_ERR_FETCH_UNMAPPED:
      fetch_fault(address);
      break;
    case UC_ERR_FETCH_PROT:
      raise_fault("MemManageFault",
                  fmt::format("instruction fetch from 0x{:08x}: execute-never region", address),
                  kIaccviol, address, address);
      break;
    case UC_ERR_INSN_INVALID:
      raise_fault("UsageFault", "undefined instruction", kUndefinstr, std::nullopt, pc);
      break;
    case UC_ERR_READ_UNALIGNED:
    case UC_ERR_WRITE_UNALIGNED:
    case UC_ERR_FETCH_UNALIGNED:
      raise_fault("UsageFault", fmt::format("unaligned access at {}", where), kUnaligned, address,
                  pc);
      break;
    default:
      raise_fault("HardFault",
                  fmt::format("emulation error: {}", uc_strerror(static_cast<uc_err>(err))), 0,
                  std::nullopt, pc);
      break;
  }
  retire_partial(fault_->pc);
  pc_ = fault_->pc;
}

}  // namespace tinysim::sim
