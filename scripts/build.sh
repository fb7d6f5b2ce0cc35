#!/usr/bin/env bash
# The installable program: a one-folder PyInstaller build (packaging/incubator.spec) named
# with the version, and its archive, in dist/. Then the built program itself, not the source,
# is tried in a clean environment (no virtual environment, no project on the path, a home
# of its own): --version, demo data, an organization report, a committee pack laid out in
# processes, the desktop window starting offscreen, install.sh, and bench/bench_build.py's quick
# round. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh build
scripts/venv.sh build

version=$(.venv/bin/python -c 'import incubator; print(incubator.__version__)')
name="incubator-registry-${version}-linux-$(uname -m)"
rm -rf build/pyinstaller "dist/${name}" "dist/${name}.tar.gz"
.venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath build/pyinstaller/dist --workpath build/pyinstaller/work packaging/incubator.spec
mkdir -p dist
mv build/pyinstaller/dist/incubator "dist/${name}"
# Qt's Chinese catalog and the libraries' metadata (the About box's versions) are inside, and
# nothing kept needs a part of Qt that the spec left out.
.venv/bin/python packaging/check_build.py "dist/${name}"
# What puts it in the desktop menu, for this user alone (no root): ./install.sh
cp packaging/linux/install.sh packaging/linux/incubator-registry.desktop \
  resources/icons/incubator-registry.svg "dist/${name}/"
tar -C dist -czf "dist/${name}.tar.gz" "${name}"

# --- the built program, tried as an office computer would run it -------------------------
program="dist/${name}/incubator"
try=$(mktemp -d)
trap 'rm -rf "$try"' EXIT
run() {  # the program with nothing of this machine's Python around it
  env -i PATH=/usr/bin:/bin HOME="$try/home" LANG=C.UTF-8 "$@"
}
mkdir -p "$try/home"
run "$program" --version
run "$program" demo --orgs 24 --db "$try/registry.sqlite3" > /dev/null
run "$program" report org 1 --period "$(date +%Y)" --out "$try/org.pdf" --db "$try/registry.sqlite3" --lang zh_CN
run "$program" report pack --period "$(date +%Y)" --with-documents --out "$try/pack.pdf" --db "$try/registry.sqlite3"
# The window: still up after 15 s (exit 124 from timeout), having said nothing on stderr.
set +e
run QT_QPA_PLATFORM=offscreen timeout 15 "$program" --db "$try/registry.sqlite3" 2> "$try/window.err"
status=$?
set -e
if [[ $status -ne 124 ]] || grep -q Traceback "$try/window.err"; then
  echo "the desktop window did not stay up (exit $status):" >&2
  cat "$try/window.err" >&2
  exit 1
fi
# Installed into a home of its own: the command, the menu entry and its icon are there.
run bash "dist/${name}/install.sh" > /dev/null
for installed in .local/bin/incubator .local/share/applications/incubator-registry.desktop \
  .local/share/icons/hicolor/scalable/apps/incubator-registry.svg; do
  [[ -e "$try/home/$installed" ]] || { echo "install.sh did not make ~/$installed" >&2; exit 1; }
done
run "$try/home/.local/bin/incubator" --version > /dev/null
desktop-file-validate "$try/home/.local/share/applications/incubator-registry.desktop"
run bash "dist/${name}/install.sh" --uninstall > /dev/null
[[ ! -e "$try/home/.local/bin/incubator" ]] || { echo "install.sh --uninstall left the command" >&2; exit 1; }
# For every user (--system), staged under a folder of its own as a package would be.
run DESTDIR="$try/root" bash "dist/${name}/install.sh" --system > /dev/null
run "$try/root/opt/incubator-registry/incubator" --version > /dev/null
[[ "$(readlink "$try/root/usr/local/bin/incubator")" == /opt/incubator-registry/incubator ]] ||
  { echo "install.sh --system did not link /usr/local/bin/incubator" >&2; exit 1; }
grep -q '^Exec="/opt/incubator-registry/incubator"$' "$try/root/usr/share/applications/incubator-registry.desktop" ||
  { echo "install.sh --system's menu entry does not start /opt/incubator-registry/incubator" >&2; exit 1; }
desktop-file-validate "$try/root/usr/share/applications/incubator-registry.desktop"
# Its size, and its start beside the source's (one quick round: bench/RESULTS.md has the full run).
.venv/bin/python bench/bench_build.py --smoke --build "dist/${name}"
echo "built and tried: dist/${name}/ ($(du -sh "dist/${name}" | cut -f1)), dist/${name}.tar.gz ($(du -sh "dist/${name}.tar.gz" | cut -f1))"
