// Export: a Profile written to a file in one of the profiler's report formats, and a widget
// (a chart) saved as a PNG. The text comes from profiler::render() (profiler/report.h), the same
// as `tinysim profile -f FORMAT`, so the files are identical to the CLI's for the same profile.
#pragma once

#include <QString>

#include "profiler/profile.h"
#include "profiler/report.h"

class QWidget;

namespace tinysim::gui {

// The formats the GUI offers: JSON, CSV, Chrome trace, Markdown.
struct ExportFormat {
  profiler::Format format;
  const char* label;      // "Chrome trace"
  const char* filter;     // "Chrome trace (*.json)"
  const char* extension;  // "trace.json"
};
const std::vector<ExportFormat>& export_formats();

// Writes `profile` in `format` to `path`. "" on success, else a message naming the file.
QString export_profile(const profiler::Profile& profile, profiler::Format format,
                       const QString& path);
// Saves `widget` rendered at its current size (QWidget::grab) to `path` as PNG. "" or an error.
QString save_png(QWidget* widget, const QString& path);

}  // namespace tinysim::gui
