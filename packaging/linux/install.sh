#!/usr/bin/env bash
# Installs Incubator Registry. Run from the unpacked archive:
#   ./install.sh                 for this user alone, no root needed: the program into
#                                ~/.local/share/incubator-registry, the `incubator` command into
#                                ~/.local/bin, its entry and icon into this user's desktop menu
#   sudo ./install.sh --system   for every user of this computer: /opt/incubator-registry,
#                                /usr/local/bin/incubator, the menu entry and icon in /usr/share
#   ./install.sh --uninstall     (or sudo ./install.sh --system --uninstall) takes it away again;
#                                registries and their backups, in each user's data folder, stay.
# DESTDIR=/some/folder puts the --system files under that folder instead (a package's staging).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
system=false
uninstall=false
for arg in "$@"; do
  case "$arg" in
    --system) system=true ;;
    --uninstall) uninstall=true ;;
    *) echo "unknown option: $arg (try --system, --uninstall)" >&2; exit 2 ;;
  esac
done

if $system; then
  root="${DESTDIR:-}"
  if [[ -z "$root" && $(id -u) -ne 0 ]]; then
    echo "--system installs for every user: run it with sudo" >&2
    exit 1
  fi
  data="$root/usr/share"
  target="$root/opt/incubator-registry"
  bin="$root/usr/local/bin"
  installed_at="/opt/incubator-registry"  # where the menu entry finds it once in place
else
  data="${XDG_DATA_HOME:-$HOME/.local/share}"
  target="$data/incubator-registry"
  bin="$HOME/.local/bin"
  installed_at="$target"
fi
entry="$data/applications/incubator-registry.desktop"
icon="$data/icons/hicolor/scalable/apps/incubator-registry.svg"

if $uninstall; then
  rm -rf "$target" "$entry" "$icon"
  rm -f "$bin/incubator"
  echo "Incubator Registry removed (registries and their backups are kept)."
  exit 0
fi

mkdir -p "$target" "$bin" "$(dirname "$entry")" "$(dirname "$icon")"
# A new version replaces the old one whole (the registry is elsewhere: upgraded at start).
rm -rf "$target.new"
cp -a "$here" "$target.new"
rm -rf "$target"
mv "$target.new" "$target"
if $system; then
  chmod -R a+rX "$target"  # every user may run it; only root may change it
fi
ln -sf "$installed_at/incubator" "$bin/incubator"
cp "$here/incubator-registry.svg" "$icon"
sed "s|@EXEC@|\"$installed_at/incubator\"|" "$here/incubator-registry.desktop" > "$entry"
chmod 0644 "$entry" "$icon"
command -v update-desktop-database > /dev/null && update-desktop-database -q "$(dirname "$entry")" || true
if $system; then
  echo "Incubator Registry installed for every user: in the desktop menu (Office), and as 'incubator' in $bin."
else
  echo "Incubator Registry installed: in the desktop menu (Office), and as 'incubator' in $bin."
fi
