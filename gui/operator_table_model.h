// OperatorTableModel: the operators of a Profile as a Qt table model, one row per operator.
//
// Columns: index, name, kind, runs, cycles, time (ms), share of the run's cycles (%), energy
// (microjoules; only when the profile has Metric::kEnergyUj for some operator), stack peak
// (bytes), arena written (bytes), MACs, cycles per MAC. Qt::DisplayRole gives text for people;
// kSortRole (Qt::UserRole) gives the number behind each cell (a string for the text columns) so
// a QSortFilterProxyModel with setSortRole(kSortRole) sorts numerically. Absent metrics display
// as "-" and sort as -1.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "profiler/profile.h"

namespace tinysim::gui {

class OperatorTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kIndex,
    kName,
    kKind,
    kRuns,
    kCycles,
    kTimeMs,
    kPercent,
    kEnergyUj,
    kStackPeakBytes,
    kArenaBytes,
    kMacs,
    kCyclesPerMac,
    kColumnCount
  };
  static constexpr int kSortRole = Qt::UserRole;

  explicit OperatorTableModel(QObject* parent = nullptr);

  // Shows `profile`'s operators (copied). An empty Profile clears the table.
  void setProfile(const profiler::Profile& profile);
  // Whether the energy column has values (the profile had an energy model).
  bool hasEnergy() const { return has_energy_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<profiler::OperatorProfile> operators_;
  double total_cycles_ = 0;
  bool has_energy_ = false;
};

}  // namespace tinysim::gui
