// Export: profiler reports and PNG grabs to files (see export_actions.h).
#include "gui/export_actions.h"

#include <QFile>
#include <QPixmap>
#include <QWidget>

namespace tinysim::gui {

const std::vector<ExportFormat>& export_formats() {
  static const std::vector<ExportFormat> formats = {
      {profiler::Format::kJson, "JSON", "Profile JSON (*.json)", "json"},
      {profiler::Format::kCsv, "CSV", "CSV (*.csv)", "csv"},
      {profiler::Format::kChromeTrace, "Chrome trace", "Chrome trace (*.json)", "trace.json"},
      {profiler::Format::kMarkdown, "Markdown", "Markdown (*.md)", "md"},
  };
  return formats;
}

QString export_profile(const profiler::Profile& profile, profiler::Format format,
                       const QString& path) {
  const std::string text = profiler::render(profile, format);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    return QString("cannot write %1: %2").arg(path, file.errorString());
  }
  if (file.write(text.data(), qint64(text.size())) != qint64(text.size())) {
    return QString("cannot write %1: %2").arg(path, file.errorString());
  }
  return {};
}

QString save_png(QWidget* widget, const QString& path) {
  if (!widget) return QString("nothing to save to %1").arg(path);
  const QPixmap pixmap = widget->grab();
  if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
    return QString("cannot write %1 as PNG").arg(path);
  }
  return {};
}

}  // namespace tinysim::gui
