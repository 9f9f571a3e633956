// CatalogBrowser: the boards of the catalog (sim/catalog.h) in a filterable, sortable table, with
// a details pane listing every catalog value of the current board and its source (Board::facts),
// the way `tinysim boards` and `tinysim boards show NAME` print them.
//
// Filters (all combine; an empty field does not filter):
//   core       one of the six cores, or any
//   min clock  the chip's maximum clock (clock.max_mhz) reaches it: "100MHz", "48 MHz", "1.2GHz"
//   min SRAM   total SRAM + TCM (Board::sram_bytes): "128K", "1 MiB", "4096"
//   min flash  total flash + XIP (Board::flash_bytes)
//   max price  the board's price (price.board) in USD; boards without a known price are hidden
// The same rules as `tinysim boards --core --min-clock --min-sram --min-flash --max-price`. Text
// that does not parse marks its field red and names the problem (filterError()); the other filters
// still apply. Units are parsed by sim::parse_frequency / sim::parse_byte_size.
//
// Multi-select: selecting rows emits boardsSelected() with the selected board names in table
// order. The widget owns a copy of the boards; it loads nothing after construction unless
// loadCatalog() is called.
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "sim/board.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace tinysim::gui {

class BoardTableModel;
class BoardFilterProxy;

class CatalogBrowser : public QWidget {
  Q_OBJECT

 public:
  // Shows the default catalog (sim::default_catalog()); its load error, if any, in the status
  // line (statusText()).
  explicit CatalogBrowser(QWidget* parent = nullptr);
  // Shows `boards` (e.g. for tests or another catalog).
  CatalogBrowser(std::vector<sim::Board> boards, QWidget* parent = nullptr);
  ~CatalogBrowser() override;

  // Loads the catalog in `directory` (chips/ and boards/). On failure keeps the current boards,
  // shows the loader's message (naming file and key) and returns false.
  bool loadCatalog(const QString& directory);

  // Filter setters (the same as typing in the filter row). `core`: "" (any) or a core name as
  // sim::core_name() spells it ("cortex-m4"); "m4" and "Cortex-M0+" are accepted too.
  void setCoreFilter(const QString& core);
  void setMinClockFilter(const QString& text);  // "" clears
  void setMinSramFilter(const QString& text);
  void setMinFlashFilter(const QString& text);
  void setMaxPriceFilter(const QString& text);  // USD, e.g. "20" or "12.5"
  void clearFilters();
  // The filter texts under the current group of `settings` (keys core, minClock, minSram,
  // minFlash, maxPrice). Opt-in: the browser itself never reads or writes settings.
  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

  // All boards shown (catalog order, sorted by name) and the ones the filters let through, in
  // the table's current order.
  int boardCount() const;
  QStringList visibleBoards() const;
  QStringList selectedBoards() const;
  // Selects these boards (those visible; others are ignored); boardsSelected() when it changes.
  void selectBoards(const QStringList& names);
  // The board whose values the details pane shows ("" none).
  QString currentBoard() const;
  // Filter problems, one per line ("min SRAM: ..."), "" when every filter parses.
  QString filterError() const;
  // The status line under the table: "12 of 18 boards" or the catalog's load error.
  QString statusText() const;

  // The details pane: rows of key, value, source, file (for tests and export).
  QTableWidget* detailsTable() const { return details_; }
  QTableView* boardTable() const { return table_; }

 Q_SIGNALS:
  // The selected boards changed (names in table order; empty when nothing is selected). Also
  // when a filter hides selected rows.
  void boardsSelected(const QStringList& names);

 private:
  void build_ui();
  void set_boards(std::vector<sim::Board> boards);
  void apply_filters();
  void on_selection_changed();
  void show_details(const QString& name);
  void update_status();

  std::vector<sim::Board> boards_;
  BoardTableModel* model_ = nullptr;
  BoardFilterProxy* proxy_ = nullptr;
  QTableView* table_ = nullptr;
  QTableWidget* details_ = nullptr;
  QLabel* details_title_ = nullptr;
  QLabel* status_ = nullptr;
  QComboBox* core_ = nullptr;
  QLineEdit* min_clock_ = nullptr;
  QLineEdit* min_sram_ = nullptr;
  QLineEdit* min_flash_ = nullptr;
  QLineEdit* max_price_ = nullptr;
  QString load_error_;
  QString filter_error_;
  QString current_;
  QStringList last_selected_;  // what boardsSelected() last said
  bool filtering_ = false;     // apply_filters() is changing the rows
};

}  // namespace tinysim::gui
