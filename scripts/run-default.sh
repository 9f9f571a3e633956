#!/usr/bin/env bash
# The main job: install what is missing, build, and run the bundled default workload on the
# default board. Extra arguments go to `tinysim run` (e.g. --json out.json).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/bootstrap.sh"
"$top/scripts/build.sh"
build="${TINYSIM_BUILD_DIR:-$top/build}"
exec "$build/cli/tinysim" run "$build/firmware/hello-cortex-m4f.elf" "$@"
