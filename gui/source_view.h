// SourceView: function hot spots and the source annotated with cycles per line.
//
// Top: the hot-spot table (FunctionTableModel, sortable). Bottom: the source file of the
// selected function, one row per line with the cycles and share of the run attributed to it
// (Profile::lines: a block's cycles split evenly over its instructions, the hottest lines only,
// RecorderOptions::max_lines), hot lines shaded; a line's tooltip shows its instructions. When
// the file is not readable on this machine the rows list only the measured lines. Selecting a
// function scrolls to its hottest line.
#pragma once

#include <QSortFilterProxyModel>
#include <QWidget>

#include "gui/function_table_model.h"
#include "profiler/profile.h"

class QTableView;
class QTableWidget;
class QLabel;

namespace tinysim::gui {

class SourceView : public QWidget {
  Q_OBJECT

 public:
  explicit SourceView(QWidget* parent = nullptr);
  void setProfile(const profiler::Profile& profile);
  // Shows `file` annotated (a path as the profile names it). False when the profile has no line
  // in it.
  bool showFile(const QString& file, uint32_t focus_line = 0);

  QTableView* functionTable() const { return functions_; }
  QTableWidget* sourceTable() const { return source_; }
  const QString& currentFile() const { return current_file_; }

 private:
  void onFunctionSelected();

  profiler::Profile profile_;
  FunctionTableModel* model_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  QTableView* functions_ = nullptr;
  QTableWidget* source_ = nullptr;
  QLabel* file_label_ = nullptr;
  QString current_file_;
};

}  // namespace tinysim::gui
