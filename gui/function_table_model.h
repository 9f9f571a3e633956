// FunctionTableModel: the function hot spots of a Profile (Profile::functions) as a Qt table
// model, hottest first as the profile keeps them.
//
// Columns: function (demangled), source file, calls, exclusive cycles, share of the run's
// cycles (%), inclusive cycles, exclusive instructions, size (bytes). Qt::DisplayRole gives
// text; kSortRole (Qt::UserRole) the number or string behind it for numeric sorting.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "profiler/profile.h"

namespace tinysim::gui {

class FunctionTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kFunction,
    kFile,
    kCalls,
    kExclusiveCycles,
    kPercent,
    kInclusiveCycles,
    kInstructions,
    kSizeBytes,
    kColumnCount
  };
  static constexpr int kSortRole = Qt::UserRole;

  explicit FunctionTableModel(QObject* parent = nullptr);
  void setProfile(const profiler::Profile& profile);
  // The function of `row` (REQUIRES: 0 <= row < rowCount()).
  const profiler::FunctionProfile& function(int row) const {
    return functions_[static_cast<size_t>(row)];
  }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<profiler::FunctionProfile> functions_;
  double total_cycles_ = 0;
};

// 1234567 -> "1,234,567".
QString with_commas(uint64_t value);

}  // namespace tinysim::gui
