// Energy for profiles: the energy model's parameters for a board at its operating point (from
// the catalog's power.model[] coefficients, or, lacking them, an estimate from its datasheet
// run current), and the label every energy output carries (model version, calibration source,
// "estimate" where nothing was calibrated).
//
// Selection (docs/power-models.md): the power.model[] entry whose voltage range equals the
// operating point's, else one with no range, else the first (the label then says the
// coefficients were fitted in another range). A fetch source without its own base charge uses
// the flash one (said in the label). The WFI sleep current is power.low_power's "sleep" entry.
// Currents are taken as independent of the supply (regulated core): energy is computed at the
// operating point's VDD, which may differ from the VDD the coefficients were fitted at (said).
// Without power.model[], the first power.run[] figure for code in flash gives q_flash = its
// uA/MHz (no static current): an estimate, labelled so. No figure at all: no energy.
#pragma once

#include <optional>
#include <string>

#include "power_models/energy_model.h"
#include "power_models/power_parameters.h"
#include "profiler/profile.h"
#include "sim/board.h"
#include "sim/status.h"

namespace tinysim::profiler {

struct BoardEnergy {
  power_models::PowerParameters params;
  // One line for reports: "tinysim-energy/1, calibrated: ..." or "tinysim-energy/1, estimate: ...".
  std::string label;
};

// The energy model's parameters for `board` at its operating point; std::nullopt (with
// `why_not` set when non-null) when the catalog has no power figure for the board.
std::optional<BoardEnergy> board_energy(const sim::Board& board, std::string* why_not = nullptr);

// The current (uA) of the low-power mode `mode` ("stop", "system-off", ...) from
// board.power.low_power (the first entry of that mode among those measured at the supply
// closest to the operating point's); std::nullopt when the board lists no such mode. `known` (when
// non-null) receives the modes it lists, comma-separated.
std::optional<double> sleep_mode_current_ua(const sim::Board& board, const std::string& mode,
                                            std::string* known = nullptr);

// A duty cycle for the battery estimate (tinysim profile --battery B --rate R --sleep MODE).
struct BatteryOptions {
  std::string battery;       // power_models::battery_named(): "cr2032", "2xaa", "lipo:500"
  std::string rate = "1/s";  // inferences per time: "N/s", "N/min", "N/h", "N/day"
  // Low-power mode between inferences (a power.low_power mode of the board); "": the one with
  // the lowest current.
  std::string sleep_mode;
};

// Adds a battery estimate to profile.energy (one inference = EnergyReport's inference energy
// and time). kInvalidArgument naming the option for an unknown battery, a malformed rate, a
// sleep mode the board does not list; kInvalidBoard when the profile has no energy.
Status add_battery_estimate(Profile& profile, const sim::Board& board,
                            const BatteryOptions& options);

}  // namespace tinysim::profiler
