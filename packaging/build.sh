#!/usr/bin/env bash
# Build the Ascent Lab desktop app with PyInstaller (packaging/ascent-lab.spec).
#
#   packaging/build.sh              one-folder app dist/ascent-lab/ + dist/ascent-lab-linux-<arch>.tar.gz
#   packaging/build.sh --onefile    single executable dist/ascent-lab-onefile
#   packaging/build.sh --if-stale   one-folder build only if a source is newer than the binary
#
# Uses $PY (default .venv/bin/python), which must have the project and the "package" extra
# installed (make package does that). Offline: everything comes from that venv. On Linux
# PyInstaller needs objdump (binutils); as root with apt-get it is installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
MODE=folder
IF_STALE=0
for arg in "$@"; do
  case "$arg" in
    --onefile) MODE=onefile ;;
    --if-stale) IF_STALE=1 ;;
    *) echo "usage: $0 [--onefile | --if-stale]" >&2; exit 2 ;;
  esac
done

APP=dist/ascent-lab/ascent-lab
if [ "$IF_STALE" = 1 ] && [ -x "$APP" ] \
   && [ -z "$(find core gui assets packaging pyproject.toml -newer "$APP" -print -quit)" ]; then
  echo "build.sh: $APP is up to date"
  exit 0
fi

if ! command -v objdump >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build.sh: installing binutils (PyInstaller needs objdump)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils
  else
    echo "build.sh: PyInstaller needs objdump: install binutils" >&2
    exit 1
  fi
fi
"$PY" -c "import PyInstaller" 2>/dev/null || {
  echo "build.sh: PyInstaller is not installed in $PY (pip install -e '.[package]')" >&2
  exit 1
}

# Arithmetic with awk (bc is not on every machine): calc EXPRESSION FORMAT
calc() { awk "BEGIN { printf \"$2\", $1 }"; }

start=$(date +%s.%N)
if [ "$MODE" = onefile ]; then
  rm -f dist/ascent-lab-onefile
  "$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist \
    --workpath build/pyinstaller-onefile packaging/ascent-lab.spec -- --onefile
  end=$(date +%s.%N)
  size=$(stat -c %s dist/ascent-lab-onefile)
  echo "build.sh: dist/ascent-lab-onefile $(calc "$size / 1e6" %.1f) MB," \
    "built in $(calc "$end - $start" %.0f) s"
  exit 0
fi

rm -rf dist/ascent-lab
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist \
  --workpath build/pyinstaller packaging/ascent-lab.spec
built=$(date +%s.%N)

# The Linux desktop entry and its icon travel with the app (see the README for installing).
cp packaging/ascent-lab.desktop packaging/ascent-lab.xml dist/ascent-lab/
cp assets/icon.png dist/ascent-lab/ascent-lab.png

ARCHIVE="dist/ascent-lab-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m).tar.gz"
tar --owner=0 --group=0 --numeric-owner -C dist -czf "$ARCHIVE" ascent-lab
end=$(date +%s.%N)

folder_bytes=$(du -sb dist/ascent-lab | cut -f1)
folder_disk=$(du -sh dist/ascent-lab | cut -f1)
archive_bytes=$(stat -c %s "$ARCHIVE")
echo "build.sh: dist/ascent-lab $(calc "$folder_bytes / 1e6" %.1f) MB" \
  "($(calc "$folder_bytes / 1048576" %.1f) MiB, du -sh $folder_disk)," \
  "$ARCHIVE $(calc "$archive_bytes / 1e6" %.1f) MB"
echo "build.sh: PyInstaller $(calc "$built - $start" %.0f) s, archive $(calc "$end - $built" %.0f) s"
# The oldest glibc the bundle runs on: the newest GLIBC_x.y symbol version any binary asks for.
floor=$(find dist/ascent-lab -type f \( -name '*.so*' -o -name ascent-lab \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
echo "build.sh: needs ${floor/_/ } or newer on the user's machine"
