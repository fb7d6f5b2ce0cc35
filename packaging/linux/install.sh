#!/usr/bin/env bash
# Installs Incubator Registry for this user (no root needed): the program into
# ~/.local/share/incubator-registry, the `incubator` command into ~/.local/bin, and its entry
# and icon into the desktop menu. Run from the unpacked archive: ./install.sh
# ./install.sh --uninstall takes all of it away again (the registry and its backups stay).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$data/incubator-registry"
bin="$HOME/.local/bin"
entry="$data/applications/incubator-registry.desktop"
icon="$data/icons/hicolor/scalable/apps/incubator-registry.svg"

if [[ "${1:-}" == "--uninstall" ]]; then
  rm -rf "$target" "$entry" "$icon"
  rm -f "$bin/incubator"
  echo "Incubator Registry removed (your registry and its backups are kept)."
  exit 0
fi

mkdir -p "$target" "$bin" "$(dirname "$entry")" "$(dirname "$icon")"
# A new version replaces the old one whole (the registry is elsewhere: upgraded at start).
rm -rf "$target.new"
cp -a "$here" "$target.new"
rm -rf "$target"
mv "$target.new" "$target"
ln -sf "$target/incubator" "$bin/incubator"
cp "$here/incubator-registry.svg" "$icon"
sed "s|@EXEC@|\"$target/incubator\"|" "$here/incubator-registry.desktop" > "$entry"
chmod 0644 "$entry"
command -v update-desktop-database > /dev/null && update-desktop-database -q "$(dirname "$entry")" || true
echo "Incubator Registry installed: in the desktop menu (Office), and as 'incubator' in $bin."
