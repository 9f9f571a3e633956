#!/usr/bin/env bash
# The main job: install what is missing, build, and profile the bundled default workload (the
# MLPerf Tiny keyword-spotting model, DS-CNN, built for Cortex-M4F) on the default board
# (nRF52840 DK): per-operator cycles, time, MACs, stack and arena, per-function and per-line
# hot spots, SRAM and flash against the board. The run is kept in the run store
# (`tinysim history`). Extra arguments go to `tinysim profile` (e.g. -f json, -b nucleo-f411re).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/bootstrap.sh"
"$top/scripts/build.sh"
build="${TINYSIM_BUILD_DIR:-$top/build}"
exec "$build/cli/tinysim" profile --by-index "$build/firmware/kws_ref_model-cortex-m4f.elf" "$@"
