// Arena planner: offsets for buffers with known lifetimes in one contiguous arena.
//
// Each Allocation is live from operator `first` to operator `last`, inclusive. Two
// allocations may share bytes only if their lifetimes do not intersect. plan_arena() places
// them first-fit: in a given order, each at the lowest aligned offset where it overlaps no
// already-placed allocation whose lifetime intersects its own. It tries three orders -- largest
// first (TFLite Micro's "greedy by size"), execution order, and largest bytes x lifetime first --
// and keeps the smallest arena. Not always optimal (the problem is NP-hard), but at the lower
// bound (the largest sum of simultaneously live buffers) for the bundled models, and
// deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace tinysim::importer {

struct Allocation {
  int64_t size = 0;     // bytes; 0-byte allocations get offset 0 and never conflict
  int32_t first = 0;    // first operator during which the buffer is live
  int32_t last = 0;     // last operator during which it is live (>= first)
  int64_t offset = -1;  // output of plan_arena
};

// Assigns every allocation's offset (a multiple of `alignment`, a power of two) and returns
// the arena size: the end of the highest allocation, rounded up to `alignment`.
int64_t plan_arena(std::span<Allocation> allocations, int64_t alignment);

// A description of the first pair of allocations that are live at the same time and overlap
// in memory, or of an allocation without an offset; nullopt when the plan is valid.
std::optional<std::string> find_conflict(std::span<const Allocation> allocations);

}  // namespace tinysim::importer
