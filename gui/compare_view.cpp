// CompareView: background compare_boards() run, budget verdicts, winner and
// charts (see compare_view.h).
#include "gui/compare_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBrush>
#include <QChart>
#include <QChartView>
#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMutex>
#include <QMutexLocker>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "gui/budget_editor.h"
#include "gui/firmware_resolver.h"
#include "sim/board.h"
#include "sim/catalog.h"

namespace tinysim::gui {

namespace prof = tinysim::profiler;

namespace {

enum Column {
  kBoard,
  kCore,
  kClock,
  kFirmware,
  kStatus,
  kLatency,
  kEnergy,
  kSramPeak,
  kSramFree,
  kFlash,
  kFlashFree,
  kPrice,
  kVerdict,
  kColumnCount
};

const QColor kPass(0xcc, 0xee, 0xcc);  // light green
const QColor kFail(0xf4, 0xcc, 0xcc);  // light red
const QColor kBar(0x4a, 0x7d, 0xb5);
const QColor kBarFail(0xc0, 0x39, 0x2b);

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

QString number(double value, int decimals) {
  return QLocale(QLocale::English).toString(value, 'f', decimals);
}

std::optional<double> price_of(const prof::CompareRow& row, prof::PriceBasis basis) {
  return basis == prof::PriceBasis::kChip ? row.chip_price_usd : row.board_price_usd;
}

const prof::ConstraintResult* find_constraint(const prof::BudgetVerdict& v, prof::Constraint c) {
  for (const prof::ConstraintResult& r : v.constraints) {
    if (r.constraint == c) return &r;
  }
  return nullptr;
}

// "latency: 235.239 ms over the limit" (the library's reason), else
// "latency 315.523 ms, limit 80.000 ms".
QString describe_failure(const prof::ConstraintResult& r) {
  QString text = QString::fromLatin1(prof::constraint_name(r.constraint));
  if (!r.reason.empty()) return text + ": " + qs(r.reason);
  if (r.value && r.limit) {
    text +=
        QStringLiteral(" %1 %2, limit %3 %2").arg(number(*r.value, 3), r.unit, number(*r.limit, 3));
  }
  return text;
}

QString describe_margin(const prof::ConstraintResult& r) {
  QString text = QString::fromLatin1(prof::constraint_name(r.constraint)) + ": " +
                 (r.pass ? QStringLiteral("pass") : QStringLiteral("FAIL"));
  if (r.value) text += QStringLiteral(", value %1 %2").arg(number(*r.value, 3), r.unit);
  if (r.limit) text += QStringLiteral(", limit %1 %2").arg(number(*r.limit, 3), r.unit);
  if (r.margin) text += QStringLiteral(", margin %1 %2").arg(number(*r.margin, 3), r.unit);
  if (!r.reason.empty()) text += "\n" + qs(r.reason);
  return text;
}

}  // namespace

// Per-board progress written by the worker threads, read by the UI timer.
struct CompareView::Progress {
  QMutex mutex;
  std::vector<prof::SessionProgress> rows;
  std::vector<bool> started;
};

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  build_ui();
  watcher_ = new QFutureWatcher<Outcome>(this);
  connect(watcher_, &QFutureWatcher<Outcome>::finished, this, &CompareView::on_finished);
  poll_ = new QTimer(this);
  poll_->setInterval(200);
  connect(poll_, &QTimer::timeout, this, &CompareView::poll_progress);
}

CompareView::~CompareView() {
  if (isRunning()) {
    cancel_->store(true);
    watcher_->waitForFinished();
  }
}

void CompareView::build_ui() {
  auto* layout = new QVBoxLayout(this);

  auto* top = new QHBoxLayout;
  firmware_label_ = new QLabel(tr("No firmware chosen."), this);
  firmware_label_->setObjectName("compareFirmware");
  firmware_label_->setWordWrap(true);
  top->addWidget(firmware_label_, 1);
  run_button_ = new QPushButton(tr("Compare"), this);
  run_button_->setObjectName("compareRun");
  connect(run_button_, &QPushButton::clicked, this, [this] { run(); });
  top->addWidget(run_button_);
  cancel_button_ = new QPushButton(tr("Cancel"), this);
  cancel_button_->setObjectName("compareCancel");
  cancel_button_->setEnabled(false);
  connect(cancel_button_, &QPushButton::clicked, this, &CompareView::cancel);
  top->addWidget(cancel_button_);
  layout->addLayout(top);

  budget_ = new BudgetEditor(this);
  budget_->setObjectName("compareBudget");
  connect(budget_, &BudgetEditor::budgetChanged, this, &CompareView::evaluate);
  layout->addWidget(budget_);
  budget_error_ = new QLabel(this);
  budget_error_->setStyleSheet("color: #c0392b;");
  budget_error_->setVisible(false);
  layout->addWidget(budget_error_);

  progress_bar_ = new QProgressBar(this);
  progress_bar_->setObjectName("compareProgress");
  progress_bar_->setRange(0, 1000);
  progress_bar_->setValue(0);
  progress_bar_->setTextVisible(true);
  progress_bar_->setFormat(tr("idle"));
  layout->addWidget(progress_bar_);

  winner_label_ = new QLabel(this);
  winner_label_->setObjectName("compareWinner");
  winner_label_->setWordWrap(true);
  winner_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(winner_label_);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  table_ = new QTableWidget(0, kColumnCount, splitter);
  table_->setObjectName("compareTable");
  table_->setHorizontalHeaderLabels({tr("Board"), tr("Core"), tr("Clock (MHz)"), tr("Firmware"),
                                     tr("Status"), tr("Latency (ms)"), tr("Energy (uJ)"),
                                     tr("SRAM peak (KiB)"), tr("SRAM free (%)"), tr("Flash (KiB)"),
                                     tr("Flash free (%)"), tr("Price (USD)"), tr("Verdict")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);

  charts_ = new QTabWidget(splitter);
  charts_->setObjectName("compareCharts");
  const std::pair<const char*, QString> metrics[] = {{"latency", tr("Latency")},
                                                     {"energy", tr("Energy")},
                                                     {"sram", tr("SRAM")},
                                                     {"flash", tr("Flash")},
                                                     {"price", tr("Price")}};
  for (const auto& [key, title] : metrics) {
    auto* view = new QChartView(new QChart, charts_);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    charts_->addTab(view, title);
    chart_views_.emplace_back(QString::fromLatin1(key), view);
  }
  table_->setWordWrap(false);
  splitter->addWidget(table_);
  splitter->addWidget(charts_);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 3);
  splitter->setSizes({240, 360});
  layout->addWidget(splitter, 1);
}

QChart* CompareView::chart(const QString& metric) const {
  for (const auto& [key, view] : chart_views_) {
    if (key == metric) return view->chart();
  }
  return nullptr;
}

bool CompareView::isRunning() const {
  return watcher_ && watcher_->isRunning();
}

void CompareView::setFirmware(const QString& path) {
  firmware_ = path;
  firmware_label_->setText(path.isEmpty() ? tr("No firmware chosen.")
                                          : tr("Firmware: %1").arg(QDir::toNativeSeparators(path)));
  firmware_label_->setToolTip(firmwareCandidates().join('\n'));
  reset_rows();
}

void CompareView::setBoards(const QStringList& names) {
  boards_ = names;
  firmware_label_->setToolTip(firmwareCandidates().join('\n'));
  reset_rows();
}

QStringList CompareView::firmwareCandidates() const {
  std::vector<sim::Board> boards;
  for (const QString& name : boards_) {
    auto board = sim::find_board(name.toStdString());
    if (board.is_ok()) boards.push_back(board.value());
  }
  return candidates_for(boards);
}

QStringList CompareView::candidates_for(const std::vector<sim::Board>& boards) const {
  QStringList out;
  if (firmware_.isEmpty()) return out;
  auto add = [&out](const QString& path) {
    if (!path.isEmpty() && !out.contains(path)) out << path;
  };
  if (firmware_.endsWith(".tflite", Qt::CaseInsensitive)) {
    // A bundled model: the bundled build for each board's variant.
    for (const sim::Board& b : boards) {
      const FirmwareResolution r = resolve_firmware(firmware_, qs(b.firmware_variant));
      if (r.ok) add(r.elf_path);
    }
    return out;
  }
  add(firmware_);
  // A bundled build "<name>-<variant>.elf": offer the sibling builds for the
  // boards' variants. Longest variant first: "cortex-m0plus-rp2040" before
  // "cortex-m0plus".
  std::vector<std::string> variants;
  for (const sim::Board& b : sim::builtin_boards()) variants.push_back(b.firmware_variant);
  std::sort(variants.begin(), variants.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  const QFileInfo info(firmware_);
  const QString file = info.fileName();
  for (const std::string& v : variants) {
    const QString suffix = "-" + qs(v) + ".elf";
    if (!file.endsWith(suffix) || file.size() == suffix.size()) continue;
    const QString stem = file.left(file.size() - suffix.size());
    for (const sim::Board& b : boards) {
      const QString sibling = info.dir().filePath(stem + "-" + qs(b.firmware_variant) + ".elf");
      if (QFileInfo::exists(sibling)) add(sibling);
    }
    break;
  }
  return out;
}

void CompareView::reset_rows() {
  if (isRunning()) return;  // the running comparison's rows arrive in on_finished()
  rows_.clear();
  verdicts_.clear();
  table_->setRowCount(int(boards_.size()));
  for (int i = 0; i < boards_.size(); ++i) {
    for (int c = 0; c < kColumnCount; ++c) table_->setItem(i, c, new QTableWidgetItem);
    table_->item(i, kBoard)->setText(boards_[i]);
    table_->item(i, kStatus)->setText(tr("not run"));
  }
  progress_bar_->setValue(0);
  progress_bar_->setFormat(tr("idle"));
  evaluate();
}

bool CompareView::run() {
  error_.clear();
  if (isRunning()) {
    error_ = tr("A comparison is already running.");
    return false;
  }
  if (firmware_.isEmpty()) error_ = tr("No firmware chosen: open an ELF or a bundled model.");
  if (boards_.isEmpty()) error_ = tr("No boards chosen: select boards in the catalog.");
  std::vector<sim::Board> boards;
  for (const QString& name : boards_) {
    auto board = sim::find_board(name.toStdString());
    if (!board.is_ok()) {
      error_ = qs(board.status().message());
      break;
    }
    boards.push_back(board.value());
  }
  std::vector<std::string> paths;
  for (const QString& p : candidates_for(boards)) paths.push_back(p.toStdString());
  if (error_.isEmpty() && paths.empty()) {
    error_ = tr("%1: no bundled firmware for this model and these boards.").arg(firmware_);
  }
  if (!error_.isEmpty()) {
    winner_label_->setText(error_);
    return false;
  }

  reset_rows();
  progress_ = std::make_shared<Progress>();
  progress_->rows.resize(boards.size());
  progress_->started.resize(boards.size(), false);
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  prof::CompareOptions options;
#ifdef TINYSIM_VERSION
  options.session.recorder.tool_version = TINYSIM_VERSION;
#endif
  std::shared_ptr<Progress> progress = progress_;
  std::shared_ptr<std::atomic<bool>> cancel = cancel_;
  watcher_->setFuture(QtConcurrent::run([paths, boards, options, progress, cancel]() -> Outcome {
    Outcome outcome;
    auto candidates = prof::load_candidates(paths);
    if (!candidates.is_ok()) {
      outcome.error = qs(candidates.status().message());
      return outcome;
    }
    outcome.result = prof::compare_boards(
        candidates.value(), boards, options,
        [progress](size_t row, const std::string&, const prof::SessionProgress& p) {
          QMutexLocker lock(&progress->mutex);
          progress->rows[row] = p;
          progress->started[row] = true;
        },
        cancel.get());
    return outcome;
  }));
  running_ = true;
  run_button_->setEnabled(false);
  cancel_button_->setEnabled(true);
  progress_bar_->setFormat(tr("running %1 boards... %p%").arg(boards.size()));
  for (int i = 0; i < table_->rowCount(); ++i) table_->item(i, kStatus)->setText(tr("waiting"));
  poll_->start();
  Q_EMIT started();
  return true;
}

void CompareView::cancel() {
  if (!isRunning()) return;
  cancel_->store(true);
  cancel_button_->setEnabled(false);
  progress_bar_->setFormat(tr("cancelling..."));
}

void CompareView::poll_progress() {
  if (!progress_) return;
  QMutexLocker lock(&progress_->mutex);
  double fraction_sum = 0;
  for (size_t i = 0; i < progress_->rows.size() && int(i) < table_->rowCount(); ++i) {
    const prof::SessionProgress& p = progress_->rows[i];
    if (!progress_->started[i]) continue;
    // With markers: the operators done out of the table's; without: unknown (counted as half).
    const double fraction =
        p.operator_count ? std::min(1.0, double(p.operators_done) / double(p.operator_count)) : 0.5;
    fraction_sum += fraction;
    QString text = tr("running: %1 cycles (%2 ms)")
                       .arg(QLocale(QLocale::English).toString(qulonglong(p.cycles)))
                       .arg(number(p.simulated_ms, 1));
    if (!p.current_operator.empty()) text += ", " + qs(p.current_operator);
    table_->item(int(i), kStatus)->setText(text);
  }
  if (!progress_->rows.empty()) {
    progress_bar_->setValue(int(1000 * fraction_sum / double(progress_->rows.size())));
  }
}

void CompareView::on_finished() {
  poll_->stop();
  running_ = false;
  const Outcome outcome = watcher_->result();
  run_button_->setEnabled(true);
  cancel_button_->setEnabled(false);
  progress_bar_->setValue(1000);
  const bool cancelled = outcome.result.cancelled;
  if (!outcome.error.isEmpty()) {
    error_ = outcome.error;
    progress_bar_->setFormat(tr("failed"));
    rows_.clear();
    for (int i = 0; i < table_->rowCount(); ++i) table_->item(i, kStatus)->setText(tr("failed"));
  } else {
    rows_ = outcome.result.rows;
    progress_bar_->setFormat(cancelled ? tr("cancelled") : tr("done"));
  }
  fill_table();
  evaluate();
  Q_EMIT finished(cancelled);
}

prof::BudgetVerdict CompareView::verdict(int row) const {
  if (row < 0 || size_t(row) >= verdicts_.size()) return {};
  return verdicts_[size_t(row)];
}

void CompareView::fill_table() {
  if (rows_.empty()) {
    if (!error_.isEmpty()) winner_label_->setText(error_);
    return;
  }
  table_->setRowCount(int(rows_.size()));
  for (size_t i = 0; i < rows_.size(); ++i) {
    const prof::CompareRow& r = rows_[i];
    const int row = int(i);
    auto set = [&](int column, const QString& text, bool numeric) {
      auto* item = new QTableWidgetItem(text);
      if (numeric) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(row, column, item);
      return item;
    };
    set(kBoard, qs(r.board), false);
    set(kCore, qs(r.core), false);
    set(kClock, number(double(r.clock_hz) / 1e6, 0), true);
    set(kFirmware, r.firmware.empty() ? QStringLiteral("-") : QFileInfo(qs(r.firmware)).fileName(),
        false)
        ->setToolTip(qs(r.selection));
    set(kStatus, QString::fromLatin1(prof::row_status_name(r.status)), false)
        ->setToolTip(qs(r.error));
    set(kLatency, r.latency_ms ? number(*r.latency_ms, 3) : QStringLiteral("-"), true)
        ->setToolTip(r.latency_scope.empty() ? QString()
                                             : tr("scope: %1").arg(qs(r.latency_scope)));
    set(kEnergy, r.energy_uj ? number(*r.energy_uj, 3) : QStringLiteral("n/a"), true);
    const bool measured = r.profile.has_value() || r.status == prof::RowStatus::kDoesNotFit;
    set(kSramPeak,
        measured ? tr("%1 / %2").arg(number(double(r.sram_peak_bytes) / 1024.0, 1),
                                     number(double(r.board_sram_bytes) / 1024.0, 0))
                 : QStringLiteral("-"),
        true);
    set(kSramFree, measured ? number(r.sram_margin_percent, 1) : QStringLiteral("-"), true);
    set(kFlash,
        measured ? tr("%1 / %2").arg(number(double(r.flash_bytes) / 1024.0, 1),
                                     number(double(r.board_flash_bytes) / 1024.0, 0))
                 : QStringLiteral("-"),
        true);
    set(kFlashFree, measured ? number(r.flash_margin_percent, 1) : QStringLiteral("-"), true);
    set(kPrice, QString(), true);
    set(kVerdict, QString(), false);
  }
  table_->resizeColumnsToContents();
}

void CompareView::evaluate() {
  const prof::Budget budget = budget_->budget();
  budget_error_->setText(budget_->errorText());
  budget_error_->setVisible(!budget_->errorText().isEmpty());
  verdicts_.clear();
  const QString previous_winner = winner_;
  winner_.clear();
  winner_reason_.clear();
  winner_row_ = -1;
  if (rows_.empty()) {
    if (error_.isEmpty()) winner_label_->clear();
    fill_charts();
    if (previous_winner != winner_) Q_EMIT winnerChanged(winner_);
    return;
  }
  for (const prof::CompareRow& r : rows_) verdicts_.push_back(prof::evaluate_budget(r, budget));
  const prof::FitResult fit = prof::fit_rows(rows_, budget);

  // Cells: green when the constraint passes, red when it fails; the margin in
  // the tooltip.
  const std::pair<prof::Constraint, std::vector<int>> cells[] = {
      {prof::Constraint::kRun, {kStatus}},
      {prof::Constraint::kLatency, {kLatency}},
      {prof::Constraint::kEnergy, {kEnergy}},
      {prof::Constraint::kPrice, {kPrice}},
      {prof::Constraint::kSram, {kSramPeak, kSramFree}},
      {prof::Constraint::kFlash, {kFlash, kFlashFree}}};
  for (size_t i = 0; i < rows_.size(); ++i) {
    const int row = int(i);
    const prof::CompareRow& r = rows_[i];
    for (int c = 0; c < kColumnCount; ++c) {
      QTableWidgetItem* item = table_->item(row, c);
      item->setBackground(QBrush());
      QFont font = item->font();
      font.setBold(false);
      item->setFont(font);
    }
    const std::optional<double> price = price_of(r, budget.price_basis);
    table_->item(row, kPrice)->setText(price ? number(*price, 2) : QStringLiteral("-"));
    table_->item(row, kPrice)
        ->setToolTip(budget.price_basis == prof::PriceBasis::kChip ? tr("chip price")
                                                                   : tr("board price"));
    QStringList failed;
    for (const auto& [constraint, columns] : cells) {
      const prof::ConstraintResult* c = find_constraint(verdicts_[i], constraint);
      if (!c) continue;
      if (!c->pass) failed << QString::fromLatin1(prof::constraint_name(constraint));
      for (int column : columns) {
        QTableWidgetItem* item = table_->item(row, column);
        item->setBackground(QBrush(c->pass ? kPass : kFail));
        if (constraint != prof::Constraint::kRun) item->setToolTip(describe_margin(*c));
      }
    }
    table_->item(row, kVerdict)
        ->setText(verdicts_[i].pass ? tr("pass") : tr("fail: %1").arg(failed.join(", ")));
    table_->item(row, kVerdict)->setBackground(QBrush(verdicts_[i].pass ? kPass : kFail));
  }

  if (!fit.fitting.empty()) {
    const prof::FitEntry& best = fit.fitting.front();
    winner_row_ = int(best.row);
    const prof::CompareRow& w = rows_[best.row];
    winner_ = qs(w.board);
    const std::optional<double> price = price_of(w, budget.price_basis);
    const QString basis = budget.price_basis == prof::PriceBasis::kChip ? tr("chip") : tr("board");
    QString reason = price ? tr("%1 is the cheapest board that meets the "
                                "budget (%2 price $%3)")
                                 .arg(winner_, basis, number(*price, 2))
                           : tr("%1 meets the budget (no board that meets it "
                                "has a known %2 price)")
                                 .arg(winner_, basis);
    QStringList margins;
    for (const prof::ConstraintResult& c : best.verdict.constraints) {
      if (c.constraint == prof::Constraint::kRun || !c.margin) continue;
      margins << tr("%1 margin %2 %3")
                     .arg(QString::fromLatin1(prof::constraint_name(c.constraint)),
                          number(*c.margin, 2), c.unit);
    }
    if (!margins.isEmpty()) reason += ": " + margins.join(", ");
    // Why the cheaper boards lost.
    QStringList cheaper;
    for (const prof::FitEntry& e : fit.rejected) {
      const std::optional<double> p = price_of(rows_[e.row], budget.price_basis);
      if (!p || !price || *p >= *price) continue;
      for (const prof::ConstraintResult& c : e.verdict.constraints) {
        if (!c.pass) {
          cheaper << tr("%1 ($%2) fails %3")
                         .arg(qs(rows_[e.row].board), number(*p, 2), describe_failure(c));
          break;
        }
      }
    }
    if (!cheaper.isEmpty()) reason += ". Cheaper: " + cheaper.join("; ");
    winner_reason_ = reason + ".";
    for (int c = 0; c < kColumnCount; ++c) {
      QTableWidgetItem* item = table_->item(winner_row_, c);
      QFont font = item->font();
      font.setBold(true);
      item->setFont(font);
    }
    table_->item(winner_row_, kVerdict)->setText(tr("pass — winner"));
    winner_label_->setText(tr("Winner: %1").arg(winner_reason_));
  } else {
    QStringList why;
    for (const prof::FitEntry& e : fit.rejected) {
      for (const prof::ConstraintResult& c : e.verdict.constraints) {
        if (!c.pass) {
          why << tr("%1 fails %2").arg(qs(rows_[e.row].board), describe_failure(c));
          break;
        }
      }
    }
    winner_reason_ = tr("No board meets the budget: %1.").arg(why.join("; "));
    winner_label_->setText(winner_reason_);
  }
  table_->resizeColumnsToContents();
  fill_charts();
  if (previous_winner != winner_) Q_EMIT winnerChanged(winner_);
}

void CompareView::fill_charts() {
  const prof::Budget budget = budget_->budget();
  struct Spec {
    QString key, title, unit;
    prof::Constraint constraint;
  };
  const Spec specs[] = {{"latency", tr("Latency per inference"), "ms", prof::Constraint::kLatency},
                        {"energy", tr("Energy per inference"), "uJ", prof::Constraint::kEnergy},
                        {"sram", tr("SRAM used"), "% of the board's", prof::Constraint::kSram},
                        {"flash", tr("Flash used"), "% of the board's", prof::Constraint::kFlash},
                        {"price", tr("Price"), "USD", prof::Constraint::kPrice}};
  for (const Spec& spec : specs) {
    QChart* chart = this->chart(spec.key);
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
      chart->removeAxis(axis);
      delete axis;
    }
    chart->setTitle(QStringLiteral("%1 (%2)").arg(spec.title, spec.unit));
    if (rows_.empty()) continue;

    std::vector<std::optional<double>> values;
    for (const prof::CompareRow& r : rows_) {
      const bool measured = r.profile.has_value();
      if (spec.key == "latency") values.push_back(r.latency_ms);
      if (spec.key == "energy") values.push_back(r.energy_uj);
      if (spec.key == "sram") {
        values.push_back(measured ? std::optional(100.0 - r.sram_margin_percent) : std::nullopt);
      }
      if (spec.key == "flash") {
        values.push_back(measured ? std::optional(100.0 - r.flash_margin_percent) : std::nullopt);
      }
      if (spec.key == "price") values.push_back(price_of(r, budget.price_basis));
    }
    // The budget line: an upper limit on the value (SRAM/flash: 100% minus the
    // free margin asked; without one they must still fit, 100%).
    std::optional<double> limit;
    if (spec.key == "latency") limit = budget.latency_ms;
    if (spec.key == "energy") limit = budget.energy_uj;
    if (spec.key == "price") limit = budget.max_price_usd;
    if (spec.key == "sram") limit = 100.0 - budget.sram_margin_percent.value_or(0);
    if (spec.key == "flash") limit = 100.0 - budget.flash_margin_percent.value_or(0);

    auto* set = new QBarSet(spec.title);
    set->setColor(kBar);
    set->setSelectedColor(kBarFail);
    QStringList categories;
    double top = 0;
    QList<int> failing;
    for (size_t i = 0; i < rows_.size(); ++i) {
      categories << qs(rows_[i].board);
      *set << values[i].value_or(0);
      top = std::max(top, values[i].value_or(0));
      const prof::ConstraintResult* c =
          i < verdicts_.size() ? find_constraint(verdicts_[i], spec.constraint) : nullptr;
      if (c && !c->pass) failing << int(i);
    }
    set->selectBars(failing);
    auto* series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    auto* y = new QValueAxis;
    y->setTitleText(spec.unit);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    if (limit) {
      auto* line = new QLineSeries;
      line->setName(tr("budget %1 %2").arg(number(*limit, 2), spec.unit));
      line->setColor(kBarFail);
      // Category axes place category i at x = i; span the whole plot.
      line->append(-0.5, *limit);
      line->append(double(rows_.size()) - 0.5, *limit);
      chart->addSeries(line);
      line->attachAxis(x);
      line->attachAxis(y);
      top = std::max(top, *limit);
    }
    y->setRange(0, top > 0 ? top * 1.1 : 1);
    chart->legend()->setVisible(limit.has_value());
  }
}

}  // namespace tinysim::gui
