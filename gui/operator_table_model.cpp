// OperatorTableModel: Profile::operators as table rows (see operator_table_model.h).
#include "gui/operator_table_model.h"

#include "gui/function_table_model.h"

#include <QBrush>
#include <QColor>

namespace tinysim::gui {

using profiler::Metric;

OperatorTableModel::OperatorTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void OperatorTableModel::setProfile(const profiler::Profile& profile) {
  beginResetModel();
  operators_ = profile.operators;
  total_cycles_ = profile.total.has(Metric::kCycles) ? profile.total.get(Metric::kCycles) : 0;
  has_energy_ = false;
  for (const auto& op : operators_) has_energy_ = has_energy_ || op.metrics.has(Metric::kEnergyUj);
  endResetModel();
}

int OperatorTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(operators_.size());
}

int OperatorTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant OperatorTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const profiler::OperatorProfile& op = operators_[static_cast<size_t>(index.row())];
  const profiler::Metrics& m = op.metrics;
  auto metric = [&](Metric key) -> double { return m.has(key) ? m.get(key) : -1.0; };
  const int column = index.column();

  if (role == Qt::TextAlignmentRole) {
    return column == kName || column == kKind ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::ForegroundRole && !op.complete) return QBrush(QColor(160, 60, 0));
  if (role == Qt::ToolTipRole) {
    QString tip =
        QString("%1 (%2)").arg(QString::fromStdString(op.name), QString::fromStdString(op.kind));
    if (!op.complete) tip += "\nstill running when the run stopped (partial)";
    if (!op.stack_peak_exact) tip += "\nstack peak is an upper bound (an earlier operator's)";
    return tip;
  }
  if (role == kSortRole) {
    switch (column) {
      case kIndex:
        return op.index;
      case kName:
        return QString::fromStdString(op.name);
      case kKind:
        return QString::fromStdString(op.kind);
      case kRuns:
        return qulonglong(op.invocations);
      case kCycles:
        return metric(Metric::kCycles);
      case kTimeMs:
        return m.has(Metric::kTimeUs) ? m.get(Metric::kTimeUs) / 1e3 : -1.0;
      case kPercent:
        return total_cycles_ > 0 && m.has(Metric::kCycles)
                   ? 100.0 * m.get(Metric::kCycles) / total_cycles_
                   : -1.0;
      case kEnergyUj:
        return metric(Metric::kEnergyUj);
      case kStackPeakBytes:
        return metric(Metric::kStackPeakBytes);
      case kArenaBytes:
        return metric(Metric::kArenaWrittenBytes);
      case kMacs:
        return metric(Metric::kMacs);
      case kCyclesPerMac:
        return metric(Metric::kCyclesPerMac);
    }
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  const double v = data(index, kSortRole).toDouble();
  switch (column) {
    case kIndex:
      return op.index;
    case kName:
      return QString::fromStdString(op.name) + (op.complete ? "" : " (partial)");
    case kKind:
      return QString::fromStdString(op.kind);
    case kRuns:
      return with_commas(op.invocations);
    case kCycles:
    case kMacs:
    case kArenaBytes:
      return v < 0 ? QString("-") : with_commas(uint64_t(v));
    case kStackPeakBytes:
      return v < 0 ? QString("-") : (op.stack_peak_exact ? "" : "<=") + with_commas(uint64_t(v));
    case kTimeMs:
      return v < 0 ? QString("-") : QString::number(v, 'f', 3);
    case kPercent:
      return v < 0 ? QString("-") : QString::number(v, 'f', 1) + "%";
    case kEnergyUj:
      return v < 0 ? QString("-") : QString::number(v, 'f', 2);
    case kCyclesPerMac:
      return v < 0 ? QString("-") : QString::number(v, 'f', 2);
  }
  return {};
}

QVariant OperatorTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kPercent:
        return "Share of the whole run's cycles";
      case kEnergyUj:
        return "Energy from the board's power model (microjoules)";
      case kStackPeakBytes:
        return "Stack high-water mark at the operator's end (bytes)";
      case kArenaBytes:
        return "Tensor arena bytes the operator changed";
      case kCyclesPerMac:
        return "Cycles per multiply-accumulate";
    }
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case kIndex:
      return "#";
    case kName:
      return "operator";
    case kKind:
      return "kind";
    case kRuns:
      return "runs";
    case kCycles:
      return "cycles";
    case kTimeMs:
      return "time (ms)";
    case kPercent:
      return "%";
    case kEnergyUj:
      return "energy (uJ)";
    case kStackPeakBytes:
      return "stack peak (B)";
    case kArenaBytes:
      return "arena written (B)";
    case kMacs:
      return "MACs";
    case kCyclesPerMac:
      return "cycles/MAC";
  }
  return {};
}

}  // namespace tinysim::gui
