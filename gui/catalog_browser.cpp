// CatalogBrowser: boards table, filter row and details pane (see catalog_browser.h).
#include "gui/catalog_browser.h"

#include <QAbstractTableModel>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>
#include <utility>

#include "sim/catalog.h"
#include "sim/core.h"

namespace tinysim::gui {

namespace {

enum Column {
  kName,
  kCore,
  kFpu,
  kMaxClock,
  kClock,
  kSram,
  kFlash,
  kPrice,
  kDescription,
  kColumnCount
};

constexpr int kSortRole = Qt::UserRole;

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

QString kib_text(uint64_t bytes) {
  constexpr uint64_t kMiB = 1024 * 1024;
  if (bytes >= kMiB && bytes % kMiB == 0) return QStringLiteral("%1 MiB").arg(bytes / kMiB);
  return QStringLiteral("%1 KiB").arg(bytes / 1024);
}

QString source_text(const sim::Source& s) {
  QString out = qs(s.document);
  if (s.estimate) out += (out.isEmpty() ? "" : "; ") + QStringLiteral("ESTIMATE");
  if (!s.note.empty()) out += (out.isEmpty() ? "" : ": ") + qs(s.note);
  return out;
}

// "cortex-m4", "m4", "Cortex-M0+" -> the core.
std::optional<sim::CoreKind> parse_core(QString text) {
  text = text.trimmed().toLower();
  if (text.isEmpty()) return std::nullopt;
  if (!text.startsWith("cortex-")) text = "cortex-" + text;
  if (text.endsWith('+')) text = text.left(text.size() - 1) + "plus";
  return sim::parse_core_name(text.toStdString());
}

}  // namespace

// The boards as a table; kSortRole gives numbers for the numeric columns.
class BoardTableModel : public QAbstractTableModel {
 public:
  explicit BoardTableModel(QObject* parent) : QAbstractTableModel(parent) {}

  void set_boards(const std::vector<sim::Board>* boards) {
    beginResetModel();
    boards_ = boards;
    endResetModel();
  }
  const sim::Board& board(int row) const { return (*boards_)[size_t(row)]; }

  int rowCount(const QModelIndex& parent) const override {
    return parent.isValid() || !boards_ ? 0 : int(boards_->size());
  }
  int columnCount(const QModelIndex& parent) const override {
    return parent.isValid() ? 0 : kColumnCount;
  }

  QVariant headerData(int section, Qt::Orientation orientation, int role) const override {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
      case kName:
        return tr("Board");
      case kCore:
        return tr("Core");
      case kFpu:
        return tr("FPU");
      case kMaxClock:
        return tr("Max clock (MHz)");
      case kClock:
        return tr("Clock (MHz)");
      case kSram:
        return tr("SRAM");
      case kFlash:
        return tr("Flash");
      case kPrice:
        return tr("Price (USD)");
      case kDescription:
        return tr("Description");
      default:
        return {};
    }
  }

  QVariant data(const QModelIndex& index, int role) const override {
    if (!index.isValid() || !boards_) return {};
    const sim::Board& b = board(index.row());
    if (role == Qt::TextAlignmentRole) {
      const bool numeric = index.column() >= kMaxClock && index.column() <= kPrice;
      return numeric ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    }
    if (role == Qt::ToolTipRole && index.column() == kPrice && b.board_price) {
      return tr("%1 at quantity %2 (%3)%4")
          .arg(b.board_price->usd)
          .arg(b.board_price->quantity)
          .arg(qs(b.board_price->date))
          .arg(b.board_price->source.estimate ? tr(", estimate") : QString());
    }
    if (role != Qt::DisplayRole && role != kSortRole) return {};
    const bool sort = role == kSortRole;
    switch (index.column()) {
      case kName:
        return qs(b.name);
      case kCore:
        return sort ? QVariant(int(b.core.kind))
                    : QVariant(qs(std::string(sim::core_name(b.core.kind))));
      case kFpu:
        return qs(std::string(sim::fpu_name(b.core.fpu)));
      case kMaxClock:
        return sort ? QVariant(b.max_clock_mhz) : QVariant(QString::number(b.max_clock_mhz));
      case kClock:
        return sort ? QVariant(b.operating_point.clock_mhz)
                    : QVariant(QString::number(b.operating_point.clock_mhz));
      case kSram:
        return sort ? QVariant(qulonglong(b.sram_bytes())) : QVariant(kib_text(b.sram_bytes()));
      case kFlash:
        return sort ? QVariant(qulonglong(b.flash_bytes())) : QVariant(kib_text(b.flash_bytes()));
      case kPrice:
        if (!b.board_price) return sort ? QVariant(1e300) : QVariant(QStringLiteral("-"));
        return sort ? QVariant(b.board_price->usd)
                    : QVariant(QString::number(b.board_price->usd, 'f', 2) +
                               (b.board_price->source.estimate ? "~" : ""));
      case kDescription:
        return qs(b.description);
      default:
        return {};
    }
  }

 private:
  const std::vector<sim::Board>* boards_ = nullptr;
};

// Filter criteria of the filter row, applied per board.
class BoardFilterProxy : public QSortFilterProxyModel {
 public:
  explicit BoardFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {}

  std::optional<sim::CoreKind> core;
  uint64_t min_clock_hz = 0;
  uint64_t min_sram_bytes = 0;
  uint64_t min_flash_bytes = 0;
  std::optional<double> max_price_usd;

  void refresh() { invalidateFilter(); }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
    if (parent.isValid()) return false;
    const auto* model = static_cast<const BoardTableModel*>(sourceModel());
    const sim::Board& b = model->board(row);
    if (core && b.core.kind != *core) return false;
    if (b.max_clock_mhz * 1e6 + 0.5 < double(min_clock_hz)) return false;
    if (b.sram_bytes() < min_sram_bytes || b.flash_bytes() < min_flash_bytes) return false;
    if (max_price_usd && (!b.board_price || b.board_price->usd > *max_price_usd)) return false;
    return true;
  }
};

CatalogBrowser::CatalogBrowser(QWidget* parent) : QWidget(parent) {
  build_ui();
  const StatusOr<sim::Catalog>& catalog = sim::default_catalog();
  if (catalog.is_ok()) {
    set_boards(catalog.value().boards);
  } else {
    load_error_ = qs(catalog.status().message());
    update_status();
  }
}

CatalogBrowser::CatalogBrowser(std::vector<sim::Board> boards, QWidget* parent) : QWidget(parent) {
  build_ui();
  set_boards(std::move(boards));
}

CatalogBrowser::~CatalogBrowser() = default;

bool CatalogBrowser::loadCatalog(const QString& directory) {
  auto catalog = sim::load_catalog(directory.toStdString());
  if (!catalog.is_ok()) {
    load_error_ = qs(catalog.status().message());
    update_status();
    return false;
  }
  load_error_.clear();
  set_boards(std::move(catalog.value().boards));
  return true;
}

void CatalogBrowser::build_ui() {
  auto* layout = new QVBoxLayout(this);

  auto* filters = new QHBoxLayout;
  core_ = new QComboBox(this);
  core_->setObjectName("coreFilter");
  core_->addItem(tr("any core"), QString());
  for (sim::CoreKind kind :
       {sim::CoreKind::kCortexM0, sim::CoreKind::kCortexM0Plus, sim::CoreKind::kCortexM3,
        sim::CoreKind::kCortexM4, sim::CoreKind::kCortexM7, sim::CoreKind::kCortexM33}) {
    const QString name = qs(std::string(sim::core_name(kind)));
    core_->addItem(name, name);
  }
  auto line = [this](const char* object_name, const QString& placeholder) {
    auto* edit = new QLineEdit(this);
    edit->setObjectName(object_name);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    connect(edit, &QLineEdit::textChanged, this, &CatalogBrowser::apply_filters);
    return edit;
  };
  min_clock_ = line("minClockFilter", tr("min clock, e.g. 100MHz"));
  min_sram_ = line("minSramFilter", tr("min SRAM, e.g. 128K"));
  min_flash_ = line("minFlashFilter", tr("min flash, e.g. 1M"));
  max_price_ = line("maxPriceFilter", tr("max price (USD)"));
  filters->addWidget(new QLabel(tr("Core:"), this));
  filters->addWidget(core_);
  filters->addWidget(min_clock_);
  filters->addWidget(min_sram_);
  filters->addWidget(min_flash_);
  filters->addWidget(max_price_);
  layout->addLayout(filters);
  connect(core_, &QComboBox::currentIndexChanged, this, &CatalogBrowser::apply_filters);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  model_ = new BoardTableModel(this);
  proxy_ = new BoardFilterProxy(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(kSortRole);
  table_ = new QTableView(splitter);
  table_->setObjectName("boardTable");
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(kName, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &CatalogBrowser::on_selection_changed);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) {
              show_details(proxy_->data(proxy_->index(current.row(), kName)).toString());
            }
          });

  auto* details = new QWidget(splitter);
  auto* details_layout = new QVBoxLayout(details);
  details_layout->setContentsMargins(0, 0, 0, 0);
  details_title_ = new QLabel(tr("Select a board to see its values and their sources."), details);
  details_title_->setWordWrap(true);
  details_title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  details_ = new QTableWidget(0, 4, details);
  details_->setObjectName("boardDetails");
  details_->setHorizontalHeaderLabels({tr("Key"), tr("Value"), tr("Source"), tr("File")});
  details_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  details_->verticalHeader()->hide();
  details_->horizontalHeader()->setStretchLastSection(true);
  details_layout->addWidget(details_title_);
  details_layout->addWidget(details_);
  splitter->addWidget(table_);
  splitter->addWidget(details);
  layout->addWidget(splitter, 1);

  status_ = new QLabel(this);
  status_->setObjectName("catalogStatus");
  status_->setWordWrap(true);
  layout->addWidget(status_);
}

void CatalogBrowser::set_boards(std::vector<sim::Board> boards) {
  boards_ = std::move(boards);
  model_->set_boards(&boards_);
  table_->resizeColumnsToContents();
  current_.clear();
  details_->setRowCount(0);
  apply_filters();
}

void CatalogBrowser::apply_filters() {
  QStringList problems;
  auto mark = [](QLineEdit* edit, bool bad, const QString& why) {
    edit->setStyleSheet(bad ? "QLineEdit { border: 1px solid #c0392b; }" : QString());
    edit->setToolTip(why);
  };
  auto parse_with = [&](QLineEdit* edit, const QString& label, auto parse) -> uint64_t {
    const QString text = edit->text().trimmed();
    if (text.isEmpty()) {
      mark(edit, false, {});
      return 0;
    }
    auto value = parse(text.toStdString());
    if (!value.is_ok()) {
      const QString why = label + ": " + qs(value.status().message());
      problems << why;
      mark(edit, true, why);
      return 0;
    }
    mark(edit, false, {});
    return value.value();
  };
  proxy_->core = parse_core(core_->currentData().toString());
  proxy_->min_clock_hz = parse_with(min_clock_, tr("min clock"),
                                    [](const std::string& s) { return sim::parse_frequency(s); });
  proxy_->min_sram_bytes = parse_with(min_sram_, tr("min SRAM"),
                                      [](const std::string& s) { return sim::parse_byte_size(s); });
  proxy_->min_flash_bytes = parse_with(
      min_flash_, tr("min flash"), [](const std::string& s) { return sim::parse_byte_size(s); });
  proxy_->max_price_usd.reset();
  const QString price = max_price_->text().trimmed();
  if (!price.isEmpty()) {
    bool ok = false;
    const double usd = price.startsWith('$') ? price.mid(1).toDouble(&ok) : price.toDouble(&ok);
    if (!ok || usd < 0) {
      const QString why =
          tr("max price: expected a non-negative number of USD, got '%1'").arg(price);
      problems << why;
      mark(max_price_, true, why);
    } else {
      proxy_->max_price_usd = usd;
      mark(max_price_, false, {});
    }
  } else {
    mark(max_price_, false, {});
  }
  filter_error_ = problems.join('\n');
  // One boardsSelected() for the whole change, not one per range of rows the proxy removes.
  filtering_ = true;
  proxy_->refresh();
  filtering_ = false;
  update_status();
  on_selection_changed();
}

void CatalogBrowser::setCoreFilter(const QString& core) {
  const std::optional<sim::CoreKind> kind = parse_core(core);
  const int index = kind ? core_->findData(qs(std::string(sim::core_name(*kind)))) : 0;
  core_->setCurrentIndex(index < 0 ? 0 : index);
  apply_filters();  // also when the index did not change
}

void CatalogBrowser::setMinClockFilter(const QString& text) {
  min_clock_->setText(text);
}
void CatalogBrowser::setMinSramFilter(const QString& text) {
  min_sram_->setText(text);
}
void CatalogBrowser::setMinFlashFilter(const QString& text) {
  min_flash_->setText(text);
}
void CatalogBrowser::setMaxPriceFilter(const QString& text) {
  max_price_->setText(text);
}

void CatalogBrowser::clearFilters() {
  const QSignalBlocker b1(core_), b2(min_clock_), b3(min_sram_), b4(min_flash_), b5(max_price_);
  core_->setCurrentIndex(0);
  min_clock_->clear();
  min_sram_->clear();
  min_flash_->clear();
  max_price_->clear();
  apply_filters();
}

void CatalogBrowser::saveSettings(QSettings& settings) const {
  settings.setValue("core", core_->currentData().toString());
  settings.setValue("minClock", min_clock_->text());
  settings.setValue("minSram", min_sram_->text());
  settings.setValue("minFlash", min_flash_->text());
  settings.setValue("maxPrice", max_price_->text());
}

void CatalogBrowser::restoreSettings(const QSettings& settings) {
  {
    const QSignalBlocker b1(core_), b2(min_clock_), b3(min_sram_), b4(min_flash_), b5(max_price_);
    const int core = core_->findData(settings.value("core").toString());
    core_->setCurrentIndex(core < 0 ? 0 : core);
    min_clock_->setText(settings.value("minClock").toString());
    min_sram_->setText(settings.value("minSram").toString());
    min_flash_->setText(settings.value("minFlash").toString());
    max_price_->setText(settings.value("maxPrice").toString());
  }
  apply_filters();
}

int CatalogBrowser::boardCount() const {
  return int(boards_.size());
}

QStringList CatalogBrowser::visibleBoards() const {
  QStringList names;
  for (int row = 0; row < proxy_->rowCount(); ++row) {
    names << proxy_->data(proxy_->index(row, kName)).toString();
  }
  return names;
}

QStringList CatalogBrowser::selectedBoards() const {
  QModelIndexList rows = table_->selectionModel()->selectedRows(kName);
  std::sort(rows.begin(), rows.end(),
            [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
  QStringList names;
  for (const QModelIndex& index : rows) names << index.data().toString();
  return names;
}

void CatalogBrowser::selectBoards(const QStringList& names) {
  QItemSelection selection;
  for (int row = 0; row < proxy_->rowCount(); ++row) {
    const QModelIndex index = proxy_->index(row, kName);
    if (names.contains(index.data().toString())) selection.select(index, index);
  }
  {
    const QSignalBlocker blocker(table_->selectionModel());
    table_->selectionModel()->select(
        selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  }
  if (!selection.isEmpty()) show_details(selection.indexes().first().data().toString());
  on_selection_changed();
}

QString CatalogBrowser::currentBoard() const {
  return current_;
}
QString CatalogBrowser::filterError() const {
  return filter_error_;
}
QString CatalogBrowser::statusText() const {
  return status_->text();
}

void CatalogBrowser::on_selection_changed() {
  if (filtering_) return;
  const QStringList names = selectedBoards();
  if (names == last_selected_) return;
  last_selected_ = names;
  Q_EMIT boardsSelected(names);
}

void CatalogBrowser::show_details(const QString& name) {
  const auto it = std::find_if(boards_.begin(), boards_.end(),
                               [&](const sim::Board& b) { return qs(b.name) == name; });
  if (it == boards_.end()) return;
  const sim::Board& b = *it;
  current_ = name;
  QStringList files;
  for (const std::string& f : b.files) files << qs(f);
  details_title_->setText(
      tr("<b>%1</b>: %2<br>%3 %4, %5, %6 flash, %7 SRAM; runs at %8 MHz, %9 V, %10 flash wait "
         "states; firmware build: %11<br>files: %12")
          .arg(qs(b.name).toHtmlEscaped(), qs(b.description).toHtmlEscaped(), qs(b.vendor),
               qs(b.part), qs(sim::describe_core(b.core)), kib_text(b.flash_bytes()),
               kib_text(b.sram_bytes()), QString::number(b.operating_point.clock_mhz),
               QString::number(b.operating_point.vdd_v))
          .arg(b.operating_point.wait_states)
          .arg(qs(b.firmware_variant), files.join(", ")));
  details_->setRowCount(int(b.facts.size()));
  for (size_t i = 0; i < b.facts.size(); ++i) {
    const sim::Fact& f = b.facts[i];
    const int row = int(i);
    details_->setItem(row, 0, new QTableWidgetItem(qs(f.key)));
    details_->setItem(row, 1, new QTableWidgetItem(qs(f.value)));
    auto* source = new QTableWidgetItem(source_text(f.source));
    if (f.source.estimate) source->setForeground(QColor(0xb9, 0x77, 0x0e));
    details_->setItem(row, 2, source);
    // The file as catalog/<chips|boards>/<name>.toml; the full path in the tooltip.
    const QFileInfo file(qs(f.file));
    auto* file_item = new QTableWidgetItem(file.dir().dirName() + "/" + file.fileName());
    file_item->setToolTip(qs(f.file));
    details_->setItem(row, 3, file_item);
  }
  details_->resizeColumnsToContents();
  // Long values (URLs, tables) would push the sources out of view.
  details_->setColumnWidth(1, std::min(details_->columnWidth(1), 280));
}

void CatalogBrowser::update_status() {
  if (!load_error_.isEmpty()) {
    status_->setText(tr("Catalog not loaded: %1").arg(load_error_));
    return;
  }
  QString text = tr("%1 of %2 boards").arg(proxy_->rowCount()).arg(boards_.size());
  if (!filter_error_.isEmpty()) text += " — " + filter_error_;
  status_->setText(text);
}

}  // namespace tinysim::gui
