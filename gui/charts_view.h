// ChartsView: Qt Charts of a Profile, one chart per sub-tab.
//
// - "Cycles": cycles per operator (horizontal bars, network order).
// - "Energy": microjoules per operator, when the profile has Metric::kEnergyUj (else a note).
// - "SRAM": the stack high-water mark (bytes) sampled at each operator boundary
//   (Profile::timeline.stack_high_water_bytes) over simulated time (ms), plus static RAM
//   (.data + .bss) on top of it, i.e. the SRAM in use.
// - "Power": average power of each operator execution (its microjoules per invocation over its
//   duration, in milliwatts) over simulated time, when the profile has energy (else a note).
// The charts only present the profile's numbers; the power curve is energy / time of each
// timeline slice, no model of its own.
#pragma once

#include <QTabWidget>

#include "profiler/profile.h"

class QChartView;
class QLabel;

namespace tinysim::gui {

class ChartsView : public QTabWidget {
  Q_OBJECT

 public:
  explicit ChartsView(QWidget* parent = nullptr);
  void setProfile(const profiler::Profile& profile);

  // The chart shown in the current sub-tab, or nullptr when it is a note.
  QChartView* currentChartView() const;
  QChartView* cyclesChart() const { return cycles_; }
  QChartView* energyChart() const { return energy_; }
  QChartView* sramChart() const { return sram_; }
  QChartView* powerChart() const { return power_; }
  bool hasEnergy() const { return has_energy_; }

 private:
  QChartView* cycles_ = nullptr;
  QChartView* energy_ = nullptr;
  QChartView* sram_ = nullptr;
  QChartView* power_ = nullptr;
  bool has_energy_ = false;
};

}  // namespace tinysim::gui
