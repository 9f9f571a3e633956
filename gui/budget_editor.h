// BudgetEditor: the editors for a profiler::Budget (profiler/budget.h) — latency, energy per
// inference, maximum price (of the board or of the chip), and free SRAM and flash as a percentage
// of the board's — as one row of text fields, parsed with the profiler's own unit parsers:
//   latency   "50ms", "1.5 s", "800us"          (profiler::parse_duration_ms)
//   energy    "500uJ", "2mJ", "900nJ"           (profiler::parse_energy_uj)
//   price     "10", "$9.95", "10 USD"           (profiler::parse_price_usd)
//   SRAM/flash free  "10%", "10"                (profiler::parse_percent)
// An empty field sets no limit. A field that does not parse is marked red with the parser's
// message as its tooltip and sets no limit; errorText() lists the problems, one per line.
#pragma once

#include <QString>
#include <QWidget>

#include "profiler/budget.h"

class QComboBox;
class QLineEdit;
class QSettings;

namespace tinysim::gui {

class BudgetEditor : public QWidget {
  Q_OBJECT

 public:
  explicit BudgetEditor(QWidget* parent = nullptr);

  // The budget of the fields that parse.
  profiler::Budget budget() const { return budget_; }
  // The problems of the fields that do not parse ("latency: ..."), "" when all parse.
  QString errorText() const { return error_; }

  // Same as typing into the fields ("" clears one).
  void setLatency(const QString& text);
  void setEnergy(const QString& text);
  void setMaxPrice(const QString& text);
  void setSramMargin(const QString& text);
  void setFlashMargin(const QString& text);
  void setPriceBasis(profiler::PriceBasis basis);
  void clear();

  // The field texts and the price basis under the current group of `settings` (keys latency,
  // energy, maxPrice, sramMargin, flashMargin, priceBasis). Opt-in: the editor itself never
  // reads or writes settings.
  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

 Q_SIGNALS:
  // Any field changed (budget() and errorText() are up to date).
  void budgetChanged();

 private:
  void parse();

  profiler::Budget budget_;
  QString error_;
  QLineEdit* latency_ = nullptr;
  QLineEdit* energy_ = nullptr;
  QLineEdit* price_ = nullptr;
  QLineEdit* sram_ = nullptr;
  QLineEdit* flash_ = nullptr;
  QComboBox* basis_ = nullptr;
};

}  // namespace tinysim::gui
