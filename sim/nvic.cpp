#include "sim/nvic.h"

namespace tinysim::sim {

Nvic::Nvic(int priority_bits) : priority_bits_(priority_bits), priority_(kNumExceptions, 0) {}

void Nvic::set_pending(int exception, bool pending) {
  if (exception > 0 && exception < kNumExceptions) pending_[exception] = pending;
}

void Nvic::set_enabled(int exception, bool enabled) {
  if (exception >= 16 && exception < kNumExceptions) enabled_[exception] = enabled;
}

bool Nvic::is_enabled(int exception) const {
  // System exceptions are always enabled here; SysTick's own TICKINT gates its pending bit,
  // and MemManage/BusFault/UsageFault escalate in the fault path, not through this model.
  return exception < 16 || enabled_[exception];
}

void Nvic::set_priority(int exception, uint8_t priority) {
  if (exception < 4 || exception >= kNumExceptions) return;
  const uint8_t mask = static_cast<uint8_t>(0xFF << (8 - priority_bits_));
  priority_[exception] = priority & mask;
}

int Nvic::priority(int exception) const {
  switch (exception) {
    case 1:
      return -3;
    case kNmi:
      return -2;
    case kHardFault:
      return -1;
    default:
      return priority_[exception];
  }
}

int Nvic::execution_priority(bool primask, uint8_t basepri, bool faultmask) const {
  int running = kThreadPriority;
  for (int e = 1; e < kNumExceptions; ++e) {
    if (active_[e] && priority(e) < running) running = priority(e);
  }
  if (basepri != 0 && basepri < running) running = basepri;
  if (primask && running > 0) running = 0;
  if (faultmask && running > -1) running = -1;
  return running;
}

std::optional<int> Nvic::exception_to_take(int execution_priority) const {
  std::optional<int> best;
  int best_priority = execution_priority;
  for (int e = 1; e < kNumExceptions; ++e) {
    if (!pending_[e] || !is_enabled(e)) continue;
    if (priority(e) < best_priority) {
      best = e;
      best_priority = priority(e);
    }
  }
  return best;
}

void Nvic::activate(int exception) {
  pending_[exception] = false;
  active_[exception] = true;
}

void Nvic::deactivate(int exception) {
  active_[exception] = false;
}

int Nvic::highest_pending() const {
  int best = 0, best_priority = 1 << 10;
  for (int e = 1; e < kNumExceptions; ++e) {
    if (pending_[e] && priority(e) < best_priority) {
      best = e;
      best_priority = priority(e);
    }
  }
  return best;
}

}  // namespace tinysim::sim
