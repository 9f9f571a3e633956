// FirmwareResolver: a file the user opened -> the ELF to run (see firmware_resolver.h).
#include "gui/firmware_resolver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tinysim::gui {

namespace {

QString from_environment(const char* name, const char* fallback) {
  const QByteArray value = qgetenv(name);
  return value.isEmpty() ? QString::fromUtf8(fallback) : QString::fromLocal8Bit(value);
}

QByteArray file_sha256(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash hash(QCryptographicHash::Sha256);
  hash.addData(&file);
  return hash.result();
}

// Firmware target name of a bundled model: "kws_ref_model.logits" -> "kws_ref_model_logits".
QString firmware_name(const QString& model) {
  return QString(model).replace('.', '_');
}

}  // namespace

QString firmware_directory() {
#ifdef TINYSIM_FIRMWARE_DIR
  return from_environment("TINYSIM_FIRMWARE_DIR", TINYSIM_FIRMWARE_DIR);
#else
  return from_environment("TINYSIM_FIRMWARE_DIR", "");
#endif
}

QString models_directory() {
#ifdef TINYSIM_SOURCE_DIR
  const QString source = from_environment("TINYSIM_SOURCE_DIR", TINYSIM_SOURCE_DIR);
#else
  const QString source = from_environment("TINYSIM_SOURCE_DIR", ".");
#endif
  return QDir(source).filePath("workloads/models");
}

QStringList bundled_models() {
  QStringList names;
  const QFileInfoList files =
      QDir(models_directory()).entryInfoList({"*.tflite"}, QDir::Files, QDir::Name);
  for (const QFileInfo& f : files) names << f.completeBaseName();
  return names;
}

FirmwareResolution resolve_firmware(const QString& path, const QString& firmware_variant) {
  FirmwareResolution r;
  const QFileInfo info(path);
  if (!info.exists()) {
    r.error = QString("%1: no such file").arg(path);
    return r;
  }
  if (info.suffix().compare("tflite", Qt::CaseInsensitive) != 0) {
    r.ok = true;
    r.elf_path = info.absoluteFilePath();
    // A bundled firmware built for another core: take the build for the board's core.
    const QString dir = QDir(firmware_directory()).absolutePath();
    const QString base = info.completeBaseName();
    const int dash = base.indexOf('-');
    if (info.absolutePath() == dir && dash > 0 && !firmware_variant.isEmpty() &&
        base.mid(dash + 1) != firmware_variant) {
      const QString other = QDir(dir).filePath(base.left(dash) + "-" + firmware_variant + ".elf");
      if (QFileInfo::exists(other)) {
        r.elf_path = other;
        r.note = QString("Running %1, the build of %2 for this board's core (%3).")
                     .arg(QFileInfo(other).fileName(), base.left(dash), firmware_variant);
      }
    }
    return r;
  }

  // A model: is it one of the bundled ones (same bytes, else same name)?
  QString model;
  const QByteArray hash = file_sha256(path);
  const QStringList models = bundled_models();
  for (const QString& m : models) {
    const QString bundled = QDir(models_directory()).filePath(m + ".tflite");
    if (!hash.isEmpty() && file_sha256(bundled) == hash) {
      model = m;
      break;
    }
  }
  if (model.isEmpty() && models.contains(info.completeBaseName())) model = info.completeBaseName();
  if (model.isEmpty()) {
    r.error = QString(
                  "%1 is not one of the bundled models (%2). The GUI runs firmware: turn the "
                  "model into C with `tinysim import %3 -o DIR`, build it with the int8 kernels "
                  "of workloads/nn (docs/importer.md), and open the ELF.")
                  .arg(info.fileName(), models.join(", "), path);
    return r;
  }
  r.model = model;
  const QString elf =
      QDir(firmware_directory()).filePath(firmware_name(model) + "-" + firmware_variant + ".elf");
  if (!QFileInfo::exists(elf)) {
    r.error = QString(
                  "%1 is the bundled model %2, but its firmware for %3 is not built: %4 is "
                  "missing (run scripts/build.sh)")
                  .arg(info.fileName(), model, firmware_variant, elf);
    return r;
  }
  r.ok = true;
  r.elf_path = elf;
  r.note = QString(
               "%1 is the bundled model %2: running its bundled firmware %3 (built by "
               "`tinysim import` and the project's cross build).")
               .arg(info.fileName(), model, QFileInfo(elf).fileName());
  return r;
}

}  // namespace tinysim::gui
