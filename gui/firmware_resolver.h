// FirmwareResolver: what the GUI runs when the user opens a file.
//
// - An ELF (any other extension too) runs as it is; the simulator's loader judges it.
// - A `.tflite` model: tinysim's importer (`tinysim import`) turns a model into C source, and
//   building that into firmware needs the project's cross build (workloads/), which the GUI does
//   not drive. So a model that is one of the bundled MLPerf Tiny models (same bytes as a file of
//   workloads/models/, or the same file name) opens the bundled firmware built from it,
//   <firmware dir>/<model>-<variant>.elf, with the variant the board boots
//   (sim::Board::firmware_variant), and the resolution says so. Any other model is an error
//   that says how to get firmware for it (the main window builds such models instead, with
//   ModelBuilder, gui/model_builder.h).
//
// Directories: the bundled models are in TINYSIM_SOURCE_DIR/workloads/models and the firmware in
// TINYSIM_FIRMWARE_DIR (compile definitions), each overridable with the environment variable of
// the same name.
#pragma once

#include <QString>
#include <QStringList>

namespace tinysim::gui {

struct FirmwareResolution {
  bool ok = false;
  QString elf_path;  // what to run, when ok
  QString model;     // the bundled model's name for a .tflite ("kws_ref_model"), else ""
  QString note;      // for the user: how the file was turned into firmware ("" for an ELF)
  QString error;     // when !ok
};

// The directory with the bundled firmware ELFs.
QString firmware_directory();
// The directory with the bundled .tflite models.
QString models_directory();
// Names of the bundled models (file stems of workloads/models/*.tflite), sorted.
QStringList bundled_models();

// What to run for `path` on a board whose bundled firmware variant is `firmware_variant`
// ("cortex-m4f"; see sim::Board::firmware_variant).
FirmwareResolution resolve_firmware(const QString& path, const QString& firmware_variant);

}  // namespace tinysim::gui
