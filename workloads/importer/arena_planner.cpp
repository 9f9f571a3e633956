#include "workloads/importer/arena_planner.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace tinysim::importer {
namespace {

bool lifetimes_intersect(const Allocation& a, const Allocation& b) {
  return a.first <= b.last && b.first <= a.last;
}

int64_t align_up(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// Places allocations in `order`, each at the lowest aligned offset that does not overlap an
// already-placed allocation with an intersecting lifetime. Writes offsets; returns the end.
int64_t place_first_fit(std::span<Allocation> allocations, const std::vector<size_t>& order,
                        int64_t alignment) {
  std::vector<size_t> placed;
  std::vector<std::pair<int64_t, int64_t>> busy;  // [begin, end) of conflicting placements
  int64_t arena = 0;
  for (const size_t i : order) {
    Allocation& a = allocations[i];
    if (a.size <= 0) {
      a.offset = 0;
      continue;
    }
    busy.clear();
    for (const size_t j : placed) {
      const Allocation& b = allocations[j];
      if (lifetimes_intersect(a, b)) busy.emplace_back(b.offset, b.offset + b.size);
    }
    std::sort(busy.begin(), busy.end());
    int64_t candidate = 0;
    for (const auto& [begin, end] : busy) {
      if (candidate + a.size <= begin) break;  // fits in the gap before this one
      candidate = std::max(candidate, align_up(end, alignment));
    }
    a.offset = candidate;
    arena = std::max(arena, a.offset + a.size);
    placed.push_back(i);
  }
  return align_up(arena, alignment);
}

}  // namespace

int64_t plan_arena(std::span<Allocation> allocations, int64_t alignment) {
  auto sorted = [&](auto before) {
    std::vector<size_t> order(allocations.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return before(allocations[a], allocations[b]); });
    return order;
  };
  auto duration = [](const Allocation& x) { return int64_t{x.last} - x.first + 1; };
  // Orders to try; the smallest arena wins (ties: the earlier order).
  const std::vector<std::vector<size_t>> orders = {
      // Largest first (ties: longer-lived, then earlier): good when one tensor dominates.
      sorted([&](const Allocation& x, const Allocation& y) {
        if (x.size != y.size) return x.size > y.size;
        if (duration(x) != duration(y)) return duration(x) > duration(y);
        return x.first < y.first;
      }),
      // Execution order (ties: larger first): follows the ping-pong of chain-shaped networks.
      sorted([&](const Allocation& x, const Allocation& y) {
        if (x.first != y.first) return x.first < y.first;
        return x.size > y.size;
      }),
      // Largest area (bytes x operators) first.
      sorted([&](const Allocation& x, const Allocation& y) {
        return x.size * duration(x) > y.size * duration(y);
      }),
  };
  std::vector<int64_t> best_offsets;
  int64_t best = -1;
  for (const auto& order : orders) {
    const int64_t arena = place_first_fit(allocations, order, alignment);
    if (best < 0 || arena < best) {
      best = arena;
      best_offsets.clear();
      for (const Allocation& a : allocations) best_offsets.push_back(a.offset);
    }
  }
  for (size_t i = 0; i < allocations.size(); ++i) allocations[i].offset = best_offsets[i];
  return std::max<int64_t>(best, 0);
}

std::optional<std::string> find_conflict(std::span<const Allocation> allocations) {
  for (size_t i = 0; i < allocations.size(); ++i) {
    const Allocation& a = allocations[i];
    if (a.size > 0 && a.offset < 0) return "allocation " + std::to_string(i) + " has no offset";
    for (size_t j = i + 1; j < allocations.size(); ++j) {
      const Allocation& b = allocations[j];
      if (a.size <= 0 || b.size <= 0 || !lifetimes_intersect(a, b)) continue;
      if (a.offset < b.offset + b.size && b.offset < a.offset + a.size) {
        return "allocations " + std::to_string(i) + " [" + std::to_string(a.offset) + "+" +
               std::to_string(a.size) + ", ops " + std::to_string(a.first) + ".." +
               std::to_string(a.last) + "] and " + std::to_string(j) + " [" +
               std::to_string(b.offset) + "+" + std::to_string(b.size) + ", ops " +
               std::to_string(b.first) + ".." + std::to_string(b.last) +
               "] are live together and overlap";
      }
    }
  }
  return std::nullopt;
}

}  // namespace tinysim::importer
