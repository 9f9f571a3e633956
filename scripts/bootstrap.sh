#!/usr/bin/env bash
# Installs the Debian 12 packages tinysim needs, skipping what is installed.
# Works as root or through sudo. Safe to run again: it does nothing when all is present.
set -euo pipefail

packages=(
  cmake g++ ninja-build pkg-config
  libunicorn-dev libcapstone-dev
  qt6-base-dev qt6-charts-dev
  libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev
  libelf-dev libdw-dev libflatbuffers-dev
  xvfb xauth
  libqt6opengl6-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "bootstrap: missing packages (${missing[*]}) and neither root nor sudo is available" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
