// FunctionTableModel: Profile::functions as table rows (see function_table_model.h).
#include "gui/function_table_model.h"

#include <QFileInfo>

namespace tinysim::gui {

using profiler::Metric;

QString with_commas(uint64_t value) {
  QString digits = QString::number(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ',');
  return digits;
}

FunctionTableModel::FunctionTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FunctionTableModel::setProfile(const profiler::Profile& profile) {
  beginResetModel();
  functions_ = profile.functions;
  total_cycles_ = profile.total.has(Metric::kCycles) ? profile.total.get(Metric::kCycles) : 0;
  endResetModel();
}

int FunctionTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(functions_.size());
}

int FunctionTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant FunctionTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const profiler::FunctionProfile& f = functions_[static_cast<size_t>(index.row())];
  const int column = index.column();
  if (role == Qt::TextAlignmentRole) {
    return column == kFunction || column == kFile ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                  : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole) {
    return QString("%1\n%2 at 0x%3, %4 bytes")
        .arg(QString::fromStdString(f.name), QString::fromStdString(f.source_file))
        .arg(f.address, 8, 16, QChar('0'))
        .arg(f.size_bytes);
  }
  const double exclusive = f.exclusive.get(Metric::kCycles);
  if (role == kSortRole) {
    switch (column) {
      case kFunction:
        return QString::fromStdString(f.demangled);
      case kFile:
        return QString::fromStdString(f.source_file);
      case kCalls:
        return qulonglong(f.calls);
      case kExclusiveCycles:
        return exclusive;
      case kPercent:
        return total_cycles_ > 0 ? 100.0 * exclusive / total_cycles_ : 0.0;
      case kInclusiveCycles:
        return f.inclusive.get(Metric::kCycles);
      case kInstructions:
        return f.exclusive.get(Metric::kInstructions);
      case kSizeBytes:
        return f.size_bytes;
    }
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  switch (column) {
    case kFunction:
      return QString::fromStdString(f.demangled.empty() ? f.name : f.demangled);
    case kFile:
      return QFileInfo(QString::fromStdString(f.source_file)).fileName();
    case kCalls:
      return with_commas(f.calls);
    case kExclusiveCycles:
      return with_commas(uint64_t(exclusive));
    case kPercent:
      return QString::number(data(index, kSortRole).toDouble(), 'f', 1) + "%";
    case kInclusiveCycles:
      return with_commas(f.inclusive.get_u64(Metric::kCycles));
    case kInstructions:
      return with_commas(f.exclusive.get_u64(Metric::kInstructions));
    case kSizeBytes:
      return with_commas(f.size_bytes);
  }
  return {};
}

QVariant FunctionTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kFunction:
      return "function";
    case kFile:
      return "file";
    case kCalls:
      return "calls";
    case kExclusiveCycles:
      return "self cycles";
    case kPercent:
      return "%";
    case kInclusiveCycles:
      return "total cycles";
    case kInstructions:
      return "self instructions";
    case kSizeBytes:
      return "size (B)";
  }
  return {};
}

}  // namespace tinysim::gui
