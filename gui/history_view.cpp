// HistoryView: runs table over the run store and the diff of two runs (see history_view.h).
#include "gui/history_view.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "profiler/metrics.h"
#include "profiler/profile.h"
#include "profiler/profile_diff.h"
#include "profiler/run_store.h"

namespace tinysim::gui {

namespace prof = tinysim::profiler;

namespace {

enum RunColumn { kId, kDate, kFirmware, kBoard, kCycles, kEnergy, kEnding, kRunColumns };
enum DiffColumn {
  kOperator,
  kKind,
  kCyclesA,
  kCyclesB,
  kCyclesDelta,
  kCyclesDeltaPercent,
  kEnergyA,
  kEnergyB,
  kEnergyDelta,
  kDiffColumns
};

constexpr int kSortRole = Qt::UserRole;
constexpr int kRunIdRole = Qt::UserRole + 1;
const QColor kWorse(0xf4, 0xcc, 0xcc);   // light red: costs more
const QColor kBetter(0xcc, 0xee, 0xcc);  // light green: saves

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

// A cell that sorts by the number in kSortRole when both cells have one.
class SortItem : public QTableWidgetItem {
 public:
  explicit SortItem(const QString& text) : QTableWidgetItem(text) {}
  SortItem(const QString& text, double key) : QTableWidgetItem(text) { setData(kSortRole, key); }
  bool operator<(const QTableWidgetItem& other) const override {
    const QVariant a = data(kSortRole), b = other.data(kSortRole);
    if (a.isValid() && b.isValid()) return a.toDouble() < b.toDouble();
    return QTableWidgetItem::operator<(other);
  }
};

QString integer_text(double value) {
  return QLocale(QLocale::English).toString(static_cast<qlonglong>(value));
}

SortItem* number_item(std::optional<double> value, int decimals) {
  if (!value) return new SortItem(QStringLiteral("-"));
  const QString text = decimals == 0 ? integer_text(*value)
                                     : QLocale(QLocale::English).toString(*value, 'f', decimals);
  auto* item = new SortItem(text, *value);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

std::optional<double> metric_value(const prof::Metrics& m, prof::Metric which) {
  if (!m.has(which)) return std::nullopt;
  return m.get(which);
}
std::optional<double> metric_value(const std::optional<prof::Metrics>& m, prof::Metric which) {
  if (!m) return std::nullopt;
  return metric_value(*m, which);
}

std::string base_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

HistoryView::HistoryView(QWidget* parent) : QWidget(parent) {
  build_ui();
  setStorePath(QString::fromStdString(prof::RunStore::default_path().string()));
}

HistoryView::~HistoryView() = default;

void HistoryView::build_ui() {
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Run store:"), this));
  path_edit_ = new QLineEdit(this);
  path_edit_->setObjectName("storePath");
  connect(path_edit_, &QLineEdit::editingFinished, this, [this] {
    if (path_edit_->text() != store_path_) setStorePath(path_edit_->text());
  });
  top->addWidget(path_edit_, 1);
  auto* reload = new QPushButton(tr("Reload"), this);
  connect(reload, &QPushButton::clicked, this, [this] { refresh(); });
  top->addWidget(reload);
  diff_button_ = new QPushButton(tr("Diff"), this);
  diff_button_->setObjectName("diffButton");
  diff_button_->setToolTip(tr("Compare the two selected runs, operator by operator"));
  connect(diff_button_, &QPushButton::clicked, this, [this] { diffSelected(); });
  top->addWidget(diff_button_);
  open_button_ = new QPushButton(tr("Open"), this);
  open_button_->setObjectName("openButton");
  connect(open_button_, &QPushButton::clicked, this, &HistoryView::openSelectedRun);
  top->addWidget(open_button_);
  layout->addLayout(top);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  runs_ = new QTableWidget(0, kRunColumns, splitter);
  runs_->setObjectName("runsTable");
  runs_->setHorizontalHeaderLabels({tr("Run"), tr("Date (UTC)"), tr("Firmware"), tr("Board"),
                                    tr("Cycles"), tr("Energy (uJ)"), tr("Ending")});
  runs_->setSelectionBehavior(QAbstractItemView::SelectRows);
  runs_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  runs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  runs_->verticalHeader()->hide();
  runs_->horizontalHeader()->setStretchLastSection(true);
  connect(runs_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &HistoryView::update_buttons);
  connect(runs_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    if (QTableWidgetItem* item = runs_->item(row, kId)) {
      Q_EMIT openProfile(item->data(kRunIdRole).toLongLong());
    }
  });

  auto* diff_box = new QWidget(splitter);
  auto* diff_layout = new QVBoxLayout(diff_box);
  diff_layout->setContentsMargins(0, 0, 0, 0);
  diff_title_ = new QLabel(tr("Select two runs and press Diff."), diff_box);
  diff_title_->setWordWrap(true);
  diff_ = new QTableWidget(0, kDiffColumns, diff_box);
  diff_->setObjectName("diffTable");
  diff_->setHorizontalHeaderLabels({tr("Operator"), tr("Kind"), tr("Cycles A"), tr("Cycles B"),
                                    tr("Δ cycles"), tr("Δ %"), tr("Energy A (uJ)"),
                                    tr("Energy B (uJ)"), tr("Δ energy (uJ)")});
  diff_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  diff_->verticalHeader()->hide();
  diff_layout->addWidget(diff_title_);
  diff_layout->addWidget(diff_);
  splitter->addWidget(runs_);
  splitter->addWidget(diff_box);
  layout->addWidget(splitter, 1);

  status_ = new QLabel(this);
  status_->setObjectName("historyStatus");
  status_->setWordWrap(true);
  layout->addWidget(status_);
  update_buttons();
}

void HistoryView::setStorePath(const QString& path) {
  store_path_ = path;
  path_edit_->setText(path);
  refresh();
}

QString HistoryView::storePath() const {
  return store_path_;
}

void HistoryView::setRunLimit(int limit) {
  run_limit_ = std::max(0, limit);
  refresh();
}

void HistoryView::set_error(const QString& message) {
  error_ = message;
  status_->setText(message);
  status_->setStyleSheet(message.isEmpty() ? QString() : QStringLiteral("color: #c0392b;"));
}

bool HistoryView::refresh() {
  runs_->setSortingEnabled(false);
  runs_->setRowCount(0);
  set_error({});
  if (!QFileInfo::exists(store_path_)) {
    status_->setText(tr("No runs stored in %1 yet.").arg(store_path_));
    update_buttons();
    return true;
  }
  auto store = prof::RunStore::open(store_path_.toStdString());
  if (!store.is_ok()) {
    set_error(qs(store.status().message()));
    update_buttons();
    return false;
  }
  prof::RunFilter filter;
  filter.limit = size_t(run_limit_);
  auto runs = store.value()->list(filter);
  if (!runs.is_ok()) {
    set_error(qs(runs.status().message()));
    update_buttons();
    return false;
  }
  const std::vector<prof::RunRecord>& records = runs.value();
  runs_->setRowCount(int(records.size()));
  for (size_t i = 0; i < records.size(); ++i) {
    const prof::RunRecord& r = records[i];
    const int row = int(i);
    auto* id = new SortItem(QString::number(r.id), double(r.id));
    id->setData(kRunIdRole, qlonglong(r.id));
    id->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    runs_->setItem(row, kId, id);
    runs_->setItem(row, kDate, new SortItem(qs(r.created_at)));
    auto* firmware = new SortItem(qs(base_name(r.firmware_path)));
    firmware->setToolTip(qs(r.firmware_path));
    runs_->setItem(row, kFirmware, firmware);
    runs_->setItem(row, kBoard, new SortItem(qs(r.board)));
    runs_->setItem(row, kCycles, number_item(double(r.cycles), 0));
    // Energy is in the stored profile only (the store has no column for it).
    std::optional<double> energy_uj;
    auto profile = store.value()->load(r.id);
    if (profile.is_ok() && profile.value().total.has(prof::Metric::kEnergyUj)) {
      energy_uj = profile.value().total.get(prof::Metric::kEnergyUj);
    }
    SortItem* energy = energy_uj ? number_item(energy_uj, 3) : new SortItem(QStringLiteral("n/a"));
    if (!energy_uj) energy->setToolTip(tr("The run had no energy model (no power figures)."));
    runs_->setItem(row, kEnergy, energy);
    runs_->setItem(
        row, kEnding,
        new SortItem(r.partial ? qs(r.stop_reason) + tr(" (partial)") : qs(r.stop_reason)));
  }
  runs_->setSortingEnabled(true);
  runs_->resizeColumnsToContents();
  status_->setText(records.empty() ? tr("No runs stored in %1 yet.").arg(store_path_)
                                   : tr("%1 runs in %2").arg(records.size()).arg(store_path_));
  update_buttons();
  return true;
}

QList<qint64> HistoryView::runIds() const {
  QList<qint64> ids;
  for (int row = 0; row < runs_->rowCount(); ++row) {
    ids << runs_->item(row, kId)->data(kRunIdRole).toLongLong();
  }
  return ids;
}

int HistoryView::runCount() const {
  return runs_->rowCount();
}

void HistoryView::selectRuns(const QList<qint64>& ids) {
  runs_->clearSelection();
  QItemSelection selection;
  for (int row = 0; row < runs_->rowCount(); ++row) {
    if (ids.contains(runs_->item(row, kId)->data(kRunIdRole).toLongLong())) {
      const QModelIndex index = runs_->model()->index(row, 0);
      selection.select(index, index);
    }
  }
  runs_->selectionModel()->select(selection,
                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

QList<qint64> HistoryView::selectedRuns() const {
  QList<qint64> ids;
  for (const QModelIndex& index : runs_->selectionModel()->selectedRows(kId)) {
    ids << index.data(kRunIdRole).toLongLong();
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

QString HistoryView::errorText() const {
  return error_;
}
QString HistoryView::diffLabelA() const {
  return label_a_;
}
QString HistoryView::diffLabelB() const {
  return label_b_;
}

void HistoryView::update_buttons() {
  const int selected = runs_->selectionModel()->selectedRows().size();
  diff_button_->setEnabled(selected == 2);
  open_button_->setEnabled(selected >= 1);
}

bool HistoryView::diffSelected() {
  const QList<qint64> ids = selectedRuns();
  if (ids.size() != 2) {
    set_error(tr("Select exactly two runs to diff (%1 selected).").arg(ids.size()));
    return false;
  }
  return diffRuns(ids[0], ids[1]);
}

void HistoryView::openSelectedRun() {
  const QList<qint64> ids = selectedRuns();
  if (!ids.isEmpty()) Q_EMIT openProfile(ids.front());
}

bool HistoryView::diffRuns(qint64 run_a, qint64 run_b) {
  if (run_b < run_a) std::swap(run_a, run_b);
  auto store = prof::RunStore::open(store_path_.toStdString());
  if (!store.is_ok()) {
    set_error(qs(store.status().message()));
    return false;
  }
  auto a = store.value()->load(run_a);
  if (!a.is_ok()) {
    set_error(tr("run %1: %2").arg(run_a).arg(qs(a.status().message())));
    return false;
  }
  auto b = store.value()->load(run_b);
  if (!b.is_ok()) {
    set_error(tr("run %1: %2").arg(run_b).arg(qs(b.status().message())));
    return false;
  }
  auto label = [](qint64 id, const prof::Profile& p) {
    return QStringLiteral("run %1 (%2 on %3)")
        .arg(id)
        .arg(qs(base_name(p.firmware.path)), qs(p.board.name));
  };
  label_a_ = label(run_a, a.value());
  label_b_ = label(run_b, b.value());
  const prof::ProfileDiff d =
      prof::diff_profiles(a.value(), b.value(), label_a_.toStdString(), label_b_.toStdString());
  set_error({});
  diff_title_->setText(tr("A = %1, B = %2; Δ = B − A").arg(label_a_, label_b_));

  struct Line {
    QString name, kind;
    std::optional<double> cycles_a, cycles_b, energy_a, energy_b;
  };
  std::vector<Line> lines;
  for (const prof::OperatorDiff& op : d.operators) {
    lines.push_back({qs(op.name), qs(op.kind), metric_value(op.a, prof::Metric::kCycles),
                     metric_value(op.b, prof::Metric::kCycles),
                     metric_value(op.a, prof::Metric::kEnergyUj),
                     metric_value(op.b, prof::Metric::kEnergyUj)});
  }
  lines.push_back({tr("[total]"),
                   {},
                   metric_value(d.total_a, prof::Metric::kCycles),
                   metric_value(d.total_b, prof::Metric::kCycles),
                   metric_value(d.total_a, prof::Metric::kEnergyUj),
                   metric_value(d.total_b, prof::Metric::kEnergyUj)});
  lines.push_back({tr("[outside operators]"),
                   {},
                   metric_value(d.outside_a, prof::Metric::kCycles),
                   metric_value(d.outside_b, prof::Metric::kCycles),
                   metric_value(d.outside_a, prof::Metric::kEnergyUj),
                   metric_value(d.outside_b, prof::Metric::kEnergyUj)});
  lines.push_back({tr("[SRAM peak bytes]"), tr("bytes"), double(d.sram_peak_a),
                   double(d.sram_peak_b), std::nullopt, std::nullopt});
  lines.push_back({tr("[flash bytes]"), tr("bytes"), double(d.flash_a), double(d.flash_b),
                   std::nullopt, std::nullopt});

  auto colour = [](QTableWidgetItem* item, std::optional<double> delta) {
    if (!delta || *delta == 0) return;
    item->setBackground(QBrush(*delta > 0 ? kWorse : kBetter));
  };
  diff_->setSortingEnabled(false);
  diff_->setRowCount(int(lines.size()));
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    const int row = int(i);
    diff_->setItem(row, kOperator, new SortItem(l.name));
    diff_->setItem(row, kKind, new SortItem(l.kind));
    diff_->setItem(row, kCyclesA, number_item(l.cycles_a, 0));
    diff_->setItem(row, kCyclesB, number_item(l.cycles_b, 0));
    std::optional<double> delta, percent, energy_delta;
    if (l.cycles_a && l.cycles_b) {
      delta = *l.cycles_b - *l.cycles_a;
      if (*l.cycles_a != 0) percent = 100.0 * *delta / *l.cycles_a;
    }
    if (l.energy_a && l.energy_b) energy_delta = *l.energy_b - *l.energy_a;
    QTableWidgetItem* delta_item = number_item(delta, 0);
    if (delta && *delta > 0) delta_item->setText("+" + delta_item->text());
    colour(delta_item, delta);
    diff_->setItem(row, kCyclesDelta, delta_item);
    QTableWidgetItem* percent_item = number_item(percent, 2);
    if (percent && *percent > 0) percent_item->setText("+" + percent_item->text());
    colour(percent_item, delta);
    diff_->setItem(row, kCyclesDeltaPercent, percent_item);
    diff_->setItem(row, kEnergyA, number_item(l.energy_a, 3));
    diff_->setItem(row, kEnergyB, number_item(l.energy_b, 3));
    QTableWidgetItem* energy_item = number_item(energy_delta, 3);
    if (energy_delta && *energy_delta > 0) energy_item->setText("+" + energy_item->text());
    colour(energy_item, energy_delta);
    diff_->setItem(row, kEnergyDelta, energy_item);
  }
  diff_->resizeColumnsToContents();
  return true;
}

}  // namespace tinysim::gui
