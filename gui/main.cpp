// tinysim-gui: the desktop front end. Usage:
//   tinysim-gui [FIRMWARE.elf | MODEL.tflite] [--board NAME] [--args TEXT] [--run]
//               [--screenshot DIR]
// --run starts a run of the given file at once; --screenshot DIR opens the file (default: the
// bundled KWS firmware), runs it (and the compare view on nrf52840-dk, nucleo-f411re and
// rpi-pico), renders every main view to DIR/gui-*.png and exits (0 when
// the run produced a profile and every image was written). The run goes to the run store as
// usual (scripts/screenshots.sh points XDG_DATA_HOME at a temporary directory).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <cstdio>

#include "gui/budget_editor.h"
#include "gui/compare_view.h"
#include "gui/firmware_resolver.h"
#include "gui/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("tinysim");
  QApplication::setApplicationName("tinysim-gui");
  QApplication::setApplicationVersion(TINYSIM_GUI_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription("tinysim: profile TinyML firmware on simulated Cortex-M boards");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument("file", "Firmware ELF or .tflite model to open");
  QCommandLineOption board({"b", "board"}, "Catalog board", "NAME");
  QCommandLineOption args("args", "The firmware's command line", "TEXT");
  QCommandLineOption run("run", "Run the file at once");
  QCommandLineOption screenshot("screenshot", "Run, save every view to DIR as PNG, exit", "DIR");
  parser.addOptions({board, args, run, screenshot});
  parser.process(app);

  tinysim::gui::MainWindow window;
  QString file = parser.positionalArguments().value(0);
  const bool screenshots = parser.isSet(screenshot);
  if (screenshots) {
    window.resize(1280, 800);
    window.setDialogHook([](QMessageBox::Icon, const QString& title, const QString& text) {
      std::fprintf(stderr, "tinysim-gui: %s: %s\n", qPrintable(title), qPrintable(text));
    });
    if (file.isEmpty()) {
      file = QDir(tinysim::gui::firmware_directory()).filePath("kws_ref_model-cortex-m4f.elf");
    }
  }
  if (parser.isSet(board) && !window.setBoard(parser.value(board))) {
    std::fprintf(stderr, "tinysim-gui: unknown board '%s'\n", qPrintable(parser.value(board)));
    return 2;
  }
  if (parser.isSet(args)) window.setFirmwareArguments(parser.value(args));
  window.show();
  if (!file.isEmpty() && !window.openFile(file) && screenshots) return 1;

  if (screenshots) {
    const QString dir = parser.value(screenshot);
    auto shoot = [&window, dir](bool ok) {
      const QStringList written = window.saveScreenshots(dir);
      for (const QString& path : written) std::printf("%s\n", qPrintable(path));
      QApplication::exit(ok && written.size() >= 7 ? 0 : 1);
    };
    QObject::connect(
        &window, &tinysim::gui::MainWindow::runFinished, &app, [&window, shoot](bool ok) {
          // The compare view on three boards of different cores, then the pictures.
          auto* compare = static_cast<tinysim::gui::CompareView*>(window.compareView());
          compare->setBoards({"nrf52840-dk", "nucleo-f411re", "rpi-pico"});
          compare->budgetEditor()->setLatency("100ms");  // a budget one board misses
          QObject::connect(compare, &tinysim::gui::CompareView::finished, &window,
                           [shoot, ok](bool) { shoot(ok); });
          if (compare->run()) return;
          shoot(ok);
        });
    QTimer::singleShot(0, &window, [&] {
      // A model that is not bundled is built in the background first (docs/gui.md).
      if (window.isBuildingModel()) {
        QObject::connect(
            &window, &tinysim::gui::MainWindow::modelBuildFinished, &window,
            [&](bool ok) {
              if (!ok || !window.startRun()) QApplication::exit(1);
            },
            Qt::SingleShotConnection);
        return;
      }
      if (!window.startRun()) QApplication::exit(1);
    });
  } else if (parser.isSet(run) && !file.isEmpty()) {
    QTimer::singleShot(0, &window, [&] {
      if (!window.isBuildingModel()) {
        window.startRun();
        return;
      }
      // A model that is not bundled: run once its firmware is built.
      QObject::connect(
          &window, &tinysim::gui::MainWindow::modelBuildFinished, &window,
          [&](bool ok) {
            if (ok) window.startRun();
          },
          Qt::SingleShotConnection);
    });
  }
  return app.exec();
}
