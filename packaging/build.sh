#!/usr/bin/env bash
# make package: a portable PyInstaller one-folder app and a .deb around it.
#   1. a llama-cpp-python wheel built with GGML_NATIVE=OFF (kept in the cache folder),
#   2. a packaging venv (build/pkgvenv) with that wheel, the app and PyInstaller,
#   3. PyInstaller (packaging/wordloom.spec) -> dist/wordloom/,
#   4. dpkg-deb -> dist/wordloom_<version>_amd64.deb (installs under /opt/wordloom).
# PACKAGE_CMAKE_ARGS overrides the llama.cpp flags (for example to add
# -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON, which builds much longer).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$(bash packaging/find_python.sh)}
VERSION=$(.venv/bin/python -c 'from engine.version import __version__; print(__version__)')
START=$(date +%s)

bash packaging/sysdeps.sh dpkg-dev

echo "== 1/4 portable llama-cpp-python (${PACKAGE_CMAKE_ARGS:--DGGML_NATIVE=OFF})"
WHEEL=$(bash packaging/portable_wheel.sh)

echo "== 2/4 packaging environment"
if [ ! -x build/pkgvenv/bin/python ]; then
  "$PY" -m venv build/pkgvenv
  build/pkgvenv/bin/pip install -q --upgrade pip
fi
build/pkgvenv/bin/pip install -q "$WHEEL"
build/pkgvenv/bin/pip install -q ".[package]"
build/pkgvenv/bin/python -c 'import llama_cpp, sys; print("llama.cpp:", llama_cpp.llama_print_system_info().decode())'

echo "== 3/4 PyInstaller"
# The starter model and LanguageTool are copied into resources/ for the bundle only: a
# checkout that keeps them would find a second model and a second server in its tests.
# (resources/models/ itself is kept: it holds the model catalogue.)
STARTER=$(.venv/bin/python -c 'from engine.paths import app_paths; from engine.model.gguf import DEFAULT_MODEL_FILE as f; print(app_paths().models / f)')
trap 'rm -f "resources/models/$(basename "$STARTER")"; rm -rf resources/languagetool' EXIT
cp -f "$STARTER" resources/models/
# The LanguageTool server make setup assembled travels inside the package.
LT_HOME=$(.venv/bin/python -c 'from engine.paths import app_paths; print(app_paths().languagetool)')
[ -f "$LT_HOME/installed.json" ] || { echo "error: no LanguageTool in $LT_HOME: run make setup" >&2; exit 1; }
rm -rf resources/languagetool && mkdir -p resources/languagetool
cp -a "$LT_HOME/lib" "$LT_HOME/installed.json" resources/languagetool/
printf 'cacheSize=2000\n' > resources/languagetool/server.properties
rm -rf build/pyinstaller dist/wordloom
build/pkgvenv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/wordloom.spec

echo "== 4/4 .deb"
STAGE=build/deb/wordloom_${VERSION}_amd64
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications"
cp -a dist/wordloom "$STAGE/opt/wordloom"
cat > "$STAGE/usr/bin/wordloom" <<'SH'
#!/bin/sh
exec /opt/wordloom/wordloom "$@"
SH
chmod 755 "$STAGE/usr/bin/wordloom"
cp packaging/wordloom.desktop "$STAGE/usr/share/applications/"
for size in 16 32 48 64 128 256; do
  dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir" && cp "resources/icons/wordloom-$size.png" "$dir/wordloom.png"
done
mkdir -p "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp resources/icons/wordloom.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/wordloom.svg"
SIZE_KB=$(du -sk "$STAGE" | cut -f1)
DEPENDS=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' packaging/deb/depends.txt | paste -sd, - | sed 's/,/, /g')
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE_KB/" -e "s/@DEPENDS@/$DEPENDS/" \
  packaging/deb/control > "$STAGE/DEBIAN/control"
install -m 755 packaging/deb/postinst "$STAGE/DEBIAN/postinst"
dpkg-deb --root-owner-group -Zzstd --build "$STAGE" "dist/wordloom_${VERSION}_amd64.deb" >/dev/null
echo "built dist/wordloom_${VERSION}_amd64.deb ($(du -h "dist/wordloom_${VERSION}_amd64.deb" | cut -f1)," \
     "app folder $(du -sh dist/wordloom | cut -f1)) in $(( $(date +%s) - START )) s"
