// TimelineView: operator executions as bars over simulated time (see timeline_view.h).
#include "gui/timeline_view.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

#include "gui/function_table_model.h"

namespace tinysim::gui {

namespace {

constexpr double kLeftMarginPx = 150;
constexpr double kRightMarginPx = 16;
constexpr double kTopMarginPx = 24;
constexpr double kAxisHeightPx = 36;
constexpr double kLaneHeightPx = 34;

}  // namespace

QColor lane_colour(int lane) {
  // Tableau 10: distinct, print-safe hues.
  static const QColor palette[] = {
      QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
      QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
      QColor(188, 189, 34),  QColor(23, 190, 207)};
  return palette[lane % 10];
}

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumHeight(160);
  setAutoFillBackground(true);
  QPalette p = palette();
  p.setColor(QPalette::Window, Qt::white);
  setPalette(p);
}

void TimelineView::setProfile(const profiler::Profile& profile) {
  slices_.clear();
  lanes_.clear();
  clock_hz_ = profile.board.clock_hz;
  truncated_ = profile.timeline.truncated;
  first_cycle_ = UINT64_MAX;
  last_cycle_ = 0;
  for (const profiler::TimelineSlice& t : profile.timeline.operators) {
    if (t.operator_position >= profile.operators.size()) continue;
    const profiler::OperatorProfile& op = profile.operators[t.operator_position];
    Slice s;
    s.start_cycle = t.start_cycle;
    s.end_cycle = std::max(t.end_cycle, t.start_cycle);
    s.name = QString::fromStdString(op.name);
    s.kind = QString::fromStdString(op.kind);
    int lane = static_cast<int>(lanes_.indexOf(s.kind));
    if (lane < 0) {
      lanes_ << s.kind;
      lane = static_cast<int>(lanes_.size()) - 1;
    }
    s.lane = lane;
    first_cycle_ = std::min(first_cycle_, s.start_cycle);
    last_cycle_ = std::max(last_cycle_, s.end_cycle);
    slices_.push_back(s);
  }
  if (slices_.empty()) first_cycle_ = 0;
  if (last_cycle_ <= first_cycle_) last_cycle_ = first_cycle_ + 1;
  setMinimumHeight(
      int(kTopMarginPx + kAxisHeightPx + kLaneHeightPx * std::max<qsizetype>(1, lanes_.size())));
  update();
}

QRectF TimelineView::plotArea() const {
  return QRectF(kLeftMarginPx, kTopMarginPx,
                std::max(10.0, width() - kLeftMarginPx - kRightMarginPx),
                kLaneHeightPx * std::max<qsizetype>(1, lanes_.size()));
}

QRectF TimelineView::sliceRect(const Slice& s) const {
  const QRectF area = plotArea();
  const double span = double(last_cycle_ - first_cycle_);
  const double x0 = area.left() + area.width() * double(s.start_cycle - first_cycle_) / span;
  const double x1 = area.left() + area.width() * double(s.end_cycle - first_cycle_) / span;
  return QRectF(x0, area.top() + s.lane * kLaneHeightPx + 4, std::max(1.0, x1 - x0),
                kLaneHeightPx - 8);
}

QString TimelineView::cycleLabel(uint64_t cycle) const {
  if (clock_hz_ == 0) return with_commas(cycle);
  return QString::number(1e3 * double(cycle) / double(clock_hz_), 'f', 2) + " ms";
}

void TimelineView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing, false);
  const QRectF area = plotArea();
  if (slices_.empty()) {
    painter.drawText(rect(), Qt::AlignCenter,
                     "No operator timeline (run a firmware with operators)");
    return;
  }
  // Lanes.
  for (int lane = 0; lane < lanes_.size(); ++lane) {
    const QRectF band(area.left(), area.top() + lane * kLaneHeightPx, area.width(), kLaneHeightPx);
    painter.fillRect(band, lane % 2 ? QColor(246, 246, 246) : QColor(236, 240, 245));
    painter.setPen(Qt::black);
    painter.drawText(QRectF(4, band.top(), kLeftMarginPx - 8, kLaneHeightPx),
                     Qt::AlignRight | Qt::AlignVCenter, lanes_[lane]);
  }
  // Slices.
  for (const Slice& s : slices_) {
    const QRectF r = sliceRect(s);
    painter.fillRect(r, lane_colour(s.lane));
    if (r.width() > 40) {
      painter.setPen(Qt::white);
      painter.drawText(
          r.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
          painter.fontMetrics().elidedText(s.name, Qt::ElideRight, int(r.width() - 6)));
    }
  }
  // Axis: five ticks.
  painter.setPen(Qt::black);
  const double axis_y = area.bottom() + 4;
  painter.drawLine(QPointF(area.left(), axis_y), QPointF(area.right(), axis_y));
  for (int i = 0; i <= 4; ++i) {
    const double x = area.left() + area.width() * i / 4.0;
    const uint64_t cycle = first_cycle_ + uint64_t(double(last_cycle_ - first_cycle_) * i / 4.0);
    painter.drawLine(QPointF(x, axis_y), QPointF(x, axis_y + 4));
    const Qt::Alignment align = i == 0 ? Qt::AlignLeft : i == 4 ? Qt::AlignRight : Qt::AlignHCenter;
    const double w = 120;
    const double left = i == 0 ? x : i == 4 ? x - w : x - w / 2;
    painter.drawText(QRectF(left, axis_y + 6, w, 20), align | Qt::AlignTop, cycleLabel(cycle));
  }
  painter.drawText(QRectF(area.left(), 2, area.width(), kTopMarginPx - 4),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   QString("%1 operator executions%2")
                       .arg(slices_.size())
                       .arg(truncated_ ? " (timeline truncated: later executions not kept)" : ""));
}

bool TimelineView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    for (const Slice& s : slices_) {
      if (sliceRect(s).adjusted(-1, 0, 1, 0).contains(help->pos())) {
        const uint64_t cycles = s.end_cycle - s.start_cycle;
        QToolTip::showText(help->globalPos(),
                           QString("%1 (%2)\n%3 cycles, %4\nfrom %5 to %6")
                               .arg(s.name, s.kind, with_commas(cycles), cycleLabel(cycles),
                                    cycleLabel(s.start_cycle), cycleLabel(s.end_cycle)),
                           this);
        return true;
      }
    }
    QToolTip::hideText();
    event->ignore();
    return true;
  }
  return QWidget::event(event);
}

}  // namespace tinysim::gui
