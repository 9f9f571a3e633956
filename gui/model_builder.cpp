// ModelBuilder: background import + cross build of a .tflite (see model_builder.h).
#include "gui/model_builder.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
#include <QPointer>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

#include "workloads/importer/firmware_builder.h"

namespace tinysim::gui {

ModelBuilder::ModelBuilder(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<ModelBuildOutcome>::finished, this,
          [this] { emit finished(watcher_.result()); });
}

ModelBuilder::~ModelBuilder() {
  watcher_.disconnect(this);
  watcher_.waitForFinished();
}

bool ModelBuilder::isBuilding() const {
  return watcher_.isRunning();
}

QString ModelBuilder::outputDirectory(const QString& model_path) {
  QString root = qEnvironmentVariable("TINYSIM_IMPORT_DIR");
  if (root.isEmpty()) {
    root = QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation))
               .filePath("imported-models");
  }
  QString digest = "unreadable";
  QFile file(model_path);
  if (file.open(QIODevice::ReadOnly)) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    digest = QString::fromLatin1(hash.result().toHex().left(12));
  }
  return QDir(root).filePath(QFileInfo(model_path).completeBaseName() + "-" + digest);
}

bool ModelBuilder::start(const QString& model_path, const QString& variant) {
  if (isBuilding()) return false;
  importer::FirmwareBuildOptions options;
  options.import.model_path = model_path.toStdString();
  options.import.output_dir = outputDirectory(model_path).toStdString();
  options.variants = {variant.toStdString()};
  QPointer<ModelBuilder> self(this);
  watcher_.setFuture(QtConcurrent::run([options, self, model_path] {
    ModelBuildOutcome outcome;
    outcome.model_path = model_path;
    // Progress lines are queued to the GUI thread; the builder outlives the build (destructor).
    auto report = [self](const std::string& line) {
      const QString text = QString::fromStdString(line);
      QMetaObject::invokeMethod(
          self.data(),
          [self, text] {
            if (self) emit self->progress(text);
          },
          Qt::QueuedConnection);
    };
    try {
      const importer::FirmwareBuildResult result = importer::build_model_firmware(options, report);
      outcome.ok = true;
      outcome.elf_path = QString::fromStdString(result.elf_paths.front());
    } catch (const importer::ImportError& e) {
      outcome.error = QString("%1: %2").arg(model_path, QString::fromStdString(e.what()));
    } catch (const importer::BuildError& e) {
      outcome.error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
      outcome.error = QString("building firmware for %1 failed: %2")
                          .arg(model_path, QString::fromStdString(e.what()));
    }
    return outcome;
  }));
  return true;
}

}  // namespace tinysim::gui
