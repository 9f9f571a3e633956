// TimelineView: the operators of a run on a time axis, painted by hand (no Qt Charts).
//
// One lane per operator kind (CONV_2D, DEPTHWISE_CONV_2D, ...), in order of first appearance;
// each operator execution (Profile::timeline.operators) is a bar from its start to its end
// cycle, coloured by kind and labelled with the operator's name when it is wide enough. The
// horizontal axis is simulated time in milliseconds at the board clock (cycles when the clock
// is unknown). Hovering a bar shows its name, kind, cycles and time.
#pragma once

#include <QColor>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "profiler/profile.h"

namespace tinysim::gui {

class TimelineView : public QWidget {
  Q_OBJECT

 public:
  explicit TimelineView(QWidget* parent = nullptr);
  void setProfile(const profiler::Profile& profile);
  // Slices painted (for tests) and lanes (operator kinds).
  int sliceCount() const { return static_cast<int>(slices_.size()); }
  const QStringList& lanes() const { return lanes_; }
  QSize sizeHint() const override { return {900, 360}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  struct Slice {
    uint64_t start_cycle = 0;
    uint64_t end_cycle = 0;
    int lane = 0;
    QString name;
    QString kind;
  };
  QRectF plotArea() const;
  QRectF sliceRect(const Slice& slice) const;
  QString cycleLabel(uint64_t cycle) const;

  std::vector<Slice> slices_;
  QStringList lanes_;
  uint64_t first_cycle_ = 0;
  uint64_t last_cycle_ = 1;
  uint64_t clock_hz_ = 0;
  bool truncated_ = false;
};

// The colour of lane `lane` (operator kinds in order of first appearance: deterministic for a
// profile).
QColor lane_colour(int lane);

}  // namespace tinysim::gui
