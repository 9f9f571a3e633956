// ChartsView: cycles, energy, SRAM and power charts of a Profile (see charts_view.h).
#include "gui/charts_view.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

namespace tinysim::gui {

namespace {

using profiler::Metric;

QChartView* make_view(const QString& object_name) {
  auto* view = new QChartView(new QChart);
  view->setObjectName(object_name);
  view->setRenderHint(QPainter::Antialiasing);
  view->chart()->setAnimationOptions(QChart::NoAnimation);
  return view;
}

// Replaces the chart of `view` with an empty one titled `title` (QChartView owns its chart).
QChart* fresh_chart(QChartView* view, const QString& title) {
  QChart* old = view->chart();
  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setTitle(title);
  view->setChart(chart);
  delete old;
  return chart;
}

void operator_bars(QChartView* view, const profiler::Profile& profile, Metric metric,
                   const QString& title, const QString& unit) {
  QChart* chart = fresh_chart(view, title);
  auto* set = new QBarSet(unit);
  QStringList names;
  // Network order top to bottom: a horizontal bar axis lists categories bottom-up.
  std::vector<const profiler::OperatorProfile*> ops;
  for (const auto& op : profile.operators) ops.push_back(&op);
  std::sort(ops.begin(), ops.end(), [](auto* a, auto* b) { return a->index > b->index; });
  double top = 0;
  for (const auto* op : ops) {
    const double v = op->metrics.has(metric) ? op->metrics.get(metric) : 0;
    *set << v;
    top = std::max(top, v);
    names << QString::fromStdString(op->name);
  }
  auto* series = new QHorizontalBarSeries;
  series->append(set);
  chart->addSeries(series);
  auto* categories = new QBarCategoryAxis;
  categories->append(names);
  chart->addAxis(categories, Qt::AlignLeft);
  series->attachAxis(categories);
  auto* values = new QValueAxis;
  values->setRange(0, top > 0 ? top * 1.05 : 1);
  values->setTitleText(unit);
  values->setLabelFormat(metric == Metric::kCycles ? "%.0f" : "%.1f");
  chart->addAxis(values, Qt::AlignBottom);
  series->attachAxis(values);
  chart->legend()->hide();
}

void note(QChartView* view, const QString& title, const QString& text) {
  QChart* chart = fresh_chart(view, title);
  chart->setTitle(title + "\n\n" + text);
}

double cycles_to_ms(uint64_t cycle, uint64_t clock_hz) {
  return clock_hz ? 1e3 * double(cycle) / double(clock_hz) : double(cycle);
}

}  // namespace

ChartsView::ChartsView(QWidget* parent) : QTabWidget(parent) {
  setObjectName("charts");
  cycles_ = make_view("cyclesChart");
  energy_ = make_view("energyChart");
  sram_ = make_view("sramChart");
  power_ = make_view("powerChart");
  addTab(cycles_, "Cycles per operator");
  addTab(energy_, "Energy per operator");
  addTab(sram_, "SRAM over time");
  addTab(power_, "Power over time");
}

QChartView* ChartsView::currentChartView() const {
  return qobject_cast<QChartView*>(currentWidget());
}

void ChartsView::setProfile(const profiler::Profile& profile) {
  const QString who = QString("%1 on %2")
                          .arg(QString::fromStdString(profile.firmware.path).section('/', -1),
                               QString::fromStdString(profile.board.name));
  has_energy_ = false;
  for (const auto& op : profile.operators)
    has_energy_ = has_energy_ || op.metrics.has(Metric::kEnergyUj);

  if (profile.operators.empty()) {
    note(cycles_, "Cycles per operator", "No operators in this run (no markers, no rule matched).");
  } else {
    operator_bars(cycles_, profile, Metric::kCycles, "Cycles per operator — " + who, "cycles");
  }
  if (has_energy_) {
    operator_bars(energy_, profile, Metric::kEnergyUj, "Energy per operator — " + who,
                  "microjoules");
  } else {
    note(energy_, "Energy per operator",
         "This profile has no energy figures (the board has no power model).");
  }

  // SRAM in use over time: static RAM + the stack high-water mark at each operator boundary.
  const uint64_t clock = profile.board.clock_hz;
  {
    QChart* chart = fresh_chart(sram_, "SRAM over time — " + who);
    const auto& samples = profile.timeline.stack_high_water_bytes;
    if (samples.empty()) {
      chart->setTitle(chart->title() + "\n\nNo stack samples (stack painting off or failed).");
    } else {
      auto* stack = new QLineSeries;
      stack->setName("stack high-water (B)");
      auto* used = new QLineSeries;
      used->setName("static + stack (B)");
      double top = 0;
      double previous = 0;
      for (size_t i = 0; i < samples.size(); ++i) {
        const double x = cycles_to_ms(samples[i].cycle, clock);
        const double v = double(samples[i].value);
        if (i > 0) {  // a step: the mark holds until the next sample
          stack->append(x, previous);
          used->append(x, previous + double(profile.memory.static_bytes));
        }
        stack->append(x, v);
        used->append(x, v + double(profile.memory.static_bytes));
        previous = v;
        top = std::max(top, v + double(profile.memory.static_bytes));
      }
      // The recorder samples only when the mark changes: it holds until the run's end.
      const uint64_t end_cycle =
          std::max(samples.back().cycle, profile.total.get_u64(Metric::kCycles));
      stack->append(cycles_to_ms(end_cycle, clock), previous);
      used->append(cycles_to_ms(end_cycle, clock), previous + double(profile.memory.static_bytes));
      chart->addSeries(stack);
      chart->addSeries(used);
      auto* x_axis = new QValueAxis;
      x_axis->setTitleText(clock ? "simulated time (ms)" : "cycles");
      x_axis->setRange(0, std::max(1e-9, cycles_to_ms(end_cycle, clock)));
      auto* y_axis = new QValueAxis;
      y_axis->setTitleText("bytes");
      y_axis->setRange(0, top > 0 ? top * 1.1 : 1);
      y_axis->setLabelFormat("%.0f");
      chart->addAxis(x_axis, Qt::AlignBottom);
      chart->addAxis(y_axis, Qt::AlignLeft);
      for (auto* s : {stack, used}) {
        s->attachAxis(x_axis);
        s->attachAxis(y_axis);
      }
    }
  }

  // Power over time: each operator execution's average power (energy / duration).
  if (!has_energy_ || profile.timeline.operators.empty() || clock == 0) {
    note(power_, "Power over time",
         has_energy_ ? "No operator timeline in this profile."
                     : "This profile has no energy figures (the board has no power model).");
  } else {
    QChart* chart = fresh_chart(power_, "Average power per operator execution — " + who);
    auto* series = new QLineSeries;
    series->setName("power (mW)");
    double top = 0;
    for (const auto& slice : profile.timeline.operators) {
      if (slice.operator_position >= profile.operators.size()) continue;
      const auto& op = profile.operators[slice.operator_position];
      if (!op.metrics.has(Metric::kEnergyUj) || op.invocations == 0) continue;
      const double energy_uj = op.metrics.get(Metric::kEnergyUj) / double(op.invocations);
      const double duration_us = 1e6 * double(slice.end_cycle - slice.start_cycle) / double(clock);
      if (duration_us <= 0) continue;
      const double power_mw = 1e3 * energy_uj / duration_us;  // uJ/us = W
      series->append(cycles_to_ms(slice.start_cycle, clock), power_mw);
      series->append(cycles_to_ms(slice.end_cycle, clock), power_mw);
      top = std::max(top, power_mw);
    }
    chart->addSeries(series);
    auto* x_axis = new QValueAxis;
    x_axis->setTitleText("simulated time (ms)");
    x_axis->setRange(0, cycles_to_ms(profile.total.get_u64(Metric::kCycles), clock));
    auto* y_axis = new QValueAxis;
    y_axis->setTitleText("milliwatts");
    y_axis->setRange(0, top > 0 ? top * 1.1 : 1);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    series->attachAxis(x_axis);
    series->attachAxis(y_axis);
    chart->legend()->hide();
  }
}

}  // namespace tinysim::gui
