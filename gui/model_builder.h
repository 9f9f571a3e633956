// ModelBuilder: turns a .tflite model that is not bundled into firmware in the background, for
// the main window (workloads/importer/firmware_builder.h does the work: `tinysim import` and
// the cross build of workloads/model_target, the same as `tinysim import --build`).
//
// One build at a time. The ELF goes to <root>/<model stem>-<first 12 hex digits of the file's
// SHA-256>/<name>-<variant>.elf, so models with the same name but other bytes do not collide
// and reopening a model rebuilds incrementally (seconds). <root> is the environment variable
// TINYSIM_IMPORT_DIR if set, else <QStandardPaths::CacheLocation>/imported-models.
// Signals arrive on the thread that owns the builder (the GUI thread). Destroying the builder
// waits for a running build (no cancel).
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

namespace tinysim::gui {

struct ModelBuildOutcome {
  bool ok = false;
  QString model_path;  // the .tflite
  QString elf_path;    // when ok
  QString error;       // when !ok: the importer's or the cross build's message
};

class ModelBuilder : public QObject {
  Q_OBJECT

 public:
  explicit ModelBuilder(QObject* parent = nullptr);
  ~ModelBuilder() override;

  // Starts importing and building `model_path` for `variant` ("cortex-m4f"); false when a build
  // is already going.
  bool start(const QString& model_path, const QString& variant);
  bool isBuilding() const;
  // Where builds of `model_path` go (see above).
  static QString outputDirectory(const QString& model_path);

 signals:
  void progress(const QString& line);
  void finished(const tinysim::gui::ModelBuildOutcome& outcome);

 private:
  QFutureWatcher<ModelBuildOutcome> watcher_;
};

}  // namespace tinysim::gui
