#!/usr/bin/env bash
# Renders tinysim-gui's main views to docs/images/gui-*.png under a virtual X server (Xvfb):
# opens the bundled KWS firmware (or FILE), runs it on the board (default nrf52840-dk), and
# grabs every tab (tinysim-gui --screenshot); a first run on nucleo-f411re fills the History
# view's diff. Builds tinysim-gui first when needed.
#   scripts/screenshots.sh [--board NAME] [FILE]
# Environment: TINYSIM_BUILD_DIR (default build/), OUT (default docs/images).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build="${TINYSIM_BUILD_DIR:-$top/build}"
out="${OUT:-$top/docs/images}"
board=nrf52840-dk
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --board) board="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) file="$1"; shift ;;
  esac
done
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
fi
cmake --build "$build" --target tinysim-gui >&2
[ -n "$file" ] || file="$build/firmware/kws_ref_model-cortex-m4f.elf"
mkdir -p "$out"
# A fixed screen and a private settings directory: the same window layout on every machine.
settings=$(mktemp -d)
trap 'rm -rf "$settings"' EXIT
run_gui() {
  XDG_CONFIG_HOME="$settings" XDG_DATA_HOME="$settings" \
    xvfb-run -a -s "-screen 0 1280x800x24" "$build/gui/tinysim-gui" "$@"
}
# A first run on another board, so the History view has two runs to diff.
run_gui --board nucleo-f411re --screenshot "$settings/first" "$file" >/dev/null
run_gui --board "$board" --screenshot "$out" "$file"
