// SourceView: hot spots and cycles per source line (see source_view.h).
#include "gui/source_view.h"

#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>
#include <map>

namespace tinysim::gui {

using profiler::Metric;

SourceView::SourceView(QWidget* parent) : QWidget(parent) {
  model_ = new FunctionTableModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(FunctionTableModel::kSortRole);
  functions_ = new QTableView;
  functions_->setObjectName("functionTable");
  functions_->setModel(proxy_);
  functions_->setSortingEnabled(true);
  functions_->sortByColumn(FunctionTableModel::kExclusiveCycles, Qt::DescendingOrder);
  functions_->setSelectionBehavior(QAbstractItemView::SelectRows);
  functions_->setSelectionMode(QAbstractItemView::SingleSelection);
  functions_->horizontalHeader()->setStretchLastSection(true);
  functions_->verticalHeader()->hide();

  source_ = new QTableWidget(0, 4);
  source_->setObjectName("sourceTable");
  source_->setHorizontalHeaderLabels({"line", "cycles", "%", "source"});
  source_->horizontalHeader()->setStretchLastSection(true);
  source_->verticalHeader()->hide();
  source_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  source_->setSelectionBehavior(QAbstractItemView::SelectRows);
  source_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  source_->setShowGrid(false);
  source_->verticalHeader()->setDefaultSectionSize(source_->fontMetrics().height() + 4);

  file_label_ = new QLabel("Select a function to see its source annotated with cycles per line.");
  auto* bottom = new QWidget;
  auto* bottom_layout = new QVBoxLayout(bottom);
  bottom_layout->setContentsMargins(0, 0, 0, 0);
  bottom_layout->addWidget(file_label_);
  bottom_layout->addWidget(source_);

  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(functions_);
  splitter->addWidget(bottom);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter);

  connect(functions_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &SourceView::onFunctionSelected);
}

void SourceView::setProfile(const profiler::Profile& profile) {
  profile_ = profile;
  model_->setProfile(profile_);
  functions_->resizeColumnsToContents();
  source_->setRowCount(0);
  current_file_.clear();
  file_label_->setText(profile_.line_table
                           ? "Select a function to see its source annotated with cycles per line."
                           : "The firmware has no DWARF line table: no cycles per source line.");
  // Start on the hottest function that has source lines.
  for (int row = 0; row < proxy_->rowCount(); ++row) {
    const auto& f = model_->function(proxy_->mapToSource(proxy_->index(row, 0)).row());
    for (const auto& line : profile_.lines) {
      if (line.function == f.name && !line.file.empty()) {
        functions_->selectRow(row);
        return;
      }
    }
  }
}

void SourceView::onFunctionSelected() {
  const QModelIndexList rows = functions_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return;
  const auto& f = model_->function(proxy_->mapToSource(rows.first()).row());
  // The function's hottest line (Profile::lines is hottest first).
  for (const auto& line : profile_.lines) {
    if (line.function == f.name && !line.file.empty()) {
      showFile(QString::fromStdString(line.file), line.line);
      return;
    }
  }
  if (!f.source_file.empty()) {
    showFile(QString::fromStdString(f.source_file));
  } else {
    file_label_->setText(
        QString("%1: no source lines measured").arg(QString::fromStdString(f.demangled)));
    source_->setRowCount(0);
  }
}

bool SourceView::showFile(const QString& file, uint32_t focus_line) {
  const std::string path = file.toStdString();
  std::map<uint32_t, const profiler::LineProfile*> measured;
  for (const auto& line : profile_.lines) {
    if (line.file == path) measured[line.line] = &line;
  }
  const double total = profile_.total.get(Metric::kCycles);
  double hottest = 0;
  for (const auto& [number, line] : measured)
    hottest = std::max(hottest, line->metrics.get(Metric::kCycles));

  QStringList text;
  QFile in(file);
  const bool readable = in.open(QIODevice::ReadOnly | QIODevice::Text);
  if (readable) {
    QTextStream stream(&in);
    while (!stream.atEnd()) text << stream.readLine();
  }
  current_file_ = file;
  file_label_->setText(
      QString("%1 — %2 measured lines%3")
          .arg(file)
          .arg(measured.size())
          .arg(readable ? "" : " (source file not readable here: measured lines only)"));

  std::vector<uint32_t> numbers;
  if (readable) {
    for (int i = 1; i <= text.size(); ++i) numbers.push_back(static_cast<uint32_t>(i));
  } else {
    for (const auto& [number, line] : measured) numbers.push_back(number);
  }
  source_->setRowCount(static_cast<int>(numbers.size()));
  int focus_row = -1;
  for (size_t row = 0; row < numbers.size(); ++row) {
    const uint32_t number = numbers[row];
    const auto found = measured.find(number);
    const profiler::LineProfile* line = found == measured.end() ? nullptr : found->second;
    const double cycles = line ? line->metrics.get(Metric::kCycles) : 0;
    auto* number_item = new QTableWidgetItem(QString::number(number));
    auto* cycles_item = new QTableWidgetItem(line ? with_commas(uint64_t(cycles)) : QString());
    auto* percent_item = new QTableWidgetItem(
        line && total > 0 ? QString::number(100.0 * cycles / total, 'f', 2) + "%" : QString());
    const QString code = readable && number >= 1 && number <= static_cast<uint32_t>(text.size())
                             ? text[static_cast<int>(number) - 1]
                             : QString();
    auto* code_item = new QTableWidgetItem(code);
    for (auto* item : {number_item, cycles_item, percent_item}) {
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (line) {
      QStringList disassembly;
      for (const auto& insn : line->disassembly) disassembly << QString::fromStdString(insn);
      const QString tip = QString("%1:%2 in %3\n%4")
                              .arg(QFileInfo(file).fileName())
                              .arg(number)
                              .arg(QString::fromStdString(line->function), disassembly.join('\n'));
      // Shade by heat: white (cold) to orange (the hottest line of the file).
      const double heat = hottest > 0 ? cycles / hottest : 0;
      const QColor shade = QColor::fromRgbF(1.0, 1.0 - 0.45 * heat, 1.0 - 0.8 * heat);
      for (auto* item : {number_item, cycles_item, percent_item, code_item}) {
        item->setToolTip(tip);
        item->setBackground(shade);
      }
    }
    source_->setItem(static_cast<int>(row), 0, number_item);
    source_->setItem(static_cast<int>(row), 1, cycles_item);
    source_->setItem(static_cast<int>(row), 2, percent_item);
    source_->setItem(static_cast<int>(row), 3, code_item);
    if (number == focus_line) focus_row = static_cast<int>(row);
  }
  source_->resizeColumnsToContents();
  if (focus_row >= 0) {
    source_->selectRow(focus_row);
    source_->scrollToItem(source_->item(focus_row, 0), QAbstractItemView::PositionAtCenter);
  }
  return !measured.empty();
}

}  // namespace tinysim::gui
