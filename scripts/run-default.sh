#!/usr/bin/env bash
# The main job: install what is missing, build, and run the bundled default workload (the
# MLPerf Tiny keyword-spotting model, DS-CNN, built for Cortex-M4F) on the default board
# (nRF52840 DK). Extra arguments go to `tinysim run` (e.g. --json out.json, -b nucleo-f411re).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/bootstrap.sh"
"$top/scripts/build.sh"
build="${TINYSIM_BUILD_DIR:-$top/build}"
exec "$build/cli/tinysim" run "$build/firmware/kws_ref_model-cortex-m4f.elf" "$@"
