// BudgetEditor: text fields for a profiler::Budget (see budget_editor.h).
#include "gui/budget_editor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalBlocker>
#include <QStringList>
#include <optional>
#include <string>

namespace tinysim::gui {

BudgetEditor::BudgetEditor(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto field = [&](const char* label, const char* object_name, const QString& placeholder) {
    layout->addWidget(new QLabel(tr(label), this));
    auto* edit = new QLineEdit(this);
    edit->setObjectName(object_name);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    connect(edit, &QLineEdit::textChanged, this, &BudgetEditor::parse);
    layout->addWidget(edit, 1);
    return edit;
  };
  latency_ = field("Latency ≤", "budgetLatency", tr("e.g. 50ms"));
  energy_ = field("Energy ≤", "budgetEnergy", tr("e.g. 500uJ"));
  price_ = field("Price ≤", "budgetPrice", tr("USD, e.g. 20"));
  basis_ = new QComboBox(this);
  basis_->setObjectName("budgetPriceBasis");
  basis_->addItem(tr("board"), int(profiler::PriceBasis::kBoard));
  basis_->addItem(tr("chip"), int(profiler::PriceBasis::kChip));
  basis_->setToolTip(
      tr("Board: the development board's price. Chip: the microcontroller's unit "
         "price. The winner is the cheapest by this price."));
  connect(basis_, &QComboBox::currentIndexChanged, this, &BudgetEditor::parse);
  layout->addWidget(basis_);
  sram_ = field("SRAM free ≥", "budgetSramMargin", tr("e.g. 10%"));
  flash_ = field("Flash free ≥", "budgetFlashMargin", tr("e.g. 10%"));
  parse();
}

void BudgetEditor::parse() {
  profiler::Budget budget;
  QStringList problems;
  auto read = [&](QLineEdit* edit, const QString& name, auto parser) -> std::optional<double> {
    const QString text = edit->text().trimmed();
    std::optional<double> value;
    QString why;
    if (!text.isEmpty()) {
      auto parsed = parser(text.toStdString());
      if (parsed.is_ok()) {
        value = parsed.value();
      } else {
        why = name + ": " + QString::fromStdString(parsed.status().message());
        problems << why;
      }
    }
    edit->setStyleSheet(why.isEmpty() ? QString()
                                      : QStringLiteral("QLineEdit { border: 1px solid #c0392b; }"));
    edit->setToolTip(why);
    return value;
  };
  budget.latency_ms = read(latency_, tr("latency"),
                           [](const std::string& s) { return profiler::parse_duration_ms(s); });
  budget.energy_uj = read(energy_, tr("energy"),
                          [](const std::string& s) { return profiler::parse_energy_uj(s); });
  budget.max_price_usd =
      read(price_, tr("price"), [](const std::string& s) { return profiler::parse_price_usd(s); });
  budget.sram_margin_percent =
      read(sram_, tr("SRAM free"), [](const std::string& s) { return profiler::parse_percent(s); });
  budget.flash_margin_percent = read(
      flash_, tr("flash free"), [](const std::string& s) { return profiler::parse_percent(s); });
  budget.price_basis = static_cast<profiler::PriceBasis>(basis_->currentData().toInt());
  budget_ = budget;
  error_ = problems.join('\n');
  Q_EMIT budgetChanged();
}

void BudgetEditor::setLatency(const QString& text) {
  latency_->setText(text);
}
void BudgetEditor::setEnergy(const QString& text) {
  energy_->setText(text);
}
void BudgetEditor::setMaxPrice(const QString& text) {
  price_->setText(text);
}
void BudgetEditor::setSramMargin(const QString& text) {
  sram_->setText(text);
}
void BudgetEditor::setFlashMargin(const QString& text) {
  flash_->setText(text);
}
void BudgetEditor::setPriceBasis(profiler::PriceBasis basis) {
  basis_->setCurrentIndex(basis_->findData(int(basis)));
}

void BudgetEditor::clear() {
  {
    const QSignalBlocker b1(latency_), b2(energy_), b3(price_), b4(sram_), b5(flash_);
    latency_->clear();
    energy_->clear();
    price_->clear();
    sram_->clear();
    flash_->clear();
  }
  parse();
}

void BudgetEditor::saveSettings(QSettings& settings) const {
  settings.setValue("latency", latency_->text());
  settings.setValue("energy", energy_->text());
  settings.setValue("maxPrice", price_->text());
  settings.setValue("sramMargin", sram_->text());
  settings.setValue("flashMargin", flash_->text());
  settings.setValue("priceBasis", basis_->currentData().toInt());
}

void BudgetEditor::restoreSettings(const QSettings& settings) {
  {
    const QSignalBlocker b1(latency_), b2(energy_), b3(price_), b4(sram_), b5(flash_), b6(basis_);
    latency_->setText(settings.value("latency").toString());
    energy_->setText(settings.value("energy").toString());
    price_->setText(settings.value("maxPrice").toString());
    sram_->setText(settings.value("sramMargin").toString());
    flash_->setText(settings.value("flashMargin").toString());
    const int basis = basis_->findData(settings.value("priceBasis", 0).toInt());
    basis_->setCurrentIndex(basis < 0 ? 0 : basis);
  }
  parse();
}

}  // namespace tinysim::gui
