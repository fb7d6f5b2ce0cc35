#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the app needs (with "test", the test suite's too; with
# "build", those of scripts/build.sh).
# Only packages not yet installed are fetched; uses sudo when not run as root.
set -euo pipefail

runtime=(
  python3 python3-venv python3-pip
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  fonts-wqy-microhei fonts-ukij-uyghur
)
testing=(xvfb poppler-utils postgresql pango1.0-tools openssl)
# scripts/build.sh: PyInstaller reads the libraries' links with objdump; the build's own checks
# use readelf and desktop-file-validate.
building=(binutils desktop-file-utils)

wanted=("${runtime[@]}")
case "${1:-}" in
  test) wanted+=("${testing[@]}") ;;
  build) wanted+=("${building[@]}") ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
