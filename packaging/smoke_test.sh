#!/usr/bin/env bash
# make package-test: unpack the .deb into a fresh root, then run the packaged app:
#   wordloom --version, wordloom --smoke (offscreen, real model and checkers),
#   and a few tokens of generation under an emulated Haswell CPU (no AVX-512).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(.venv/bin/python -c 'from engine.version import __version__; print(__version__)')
DEB="dist/wordloom_${VERSION}_amd64.deb"
[ -f "$DEB" ] || { echo "error: $DEB is missing: run make package" >&2; exit 1; }
bash packaging/sysdeps.sh qemu-user
ROOT=$(mktemp -d)
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$ROOT" "$HOME_DIR"' EXIT
dpkg-deb -x "$DEB" "$ROOT"
APP="$ROOT/opt/wordloom/wordloom"
for path in usr/bin/wordloom usr/share/applications/wordloom.desktop \
            usr/share/icons/hicolor/256x256/apps/wordloom.png opt/wordloom/wordloom; do
  [ -e "$ROOT/$path" ] || { echo "error: the package lacks /$path" >&2; exit 1; }
done
echo "package: $(du -h "$DEB" | cut -f1), installed $(du -sh "$ROOT" | cut -f1)"

got=$("$APP" --version)
[ "$got" = "wordloom $VERSION" ] || { echo "error: --version said '$got'" >&2; exit 1; }
echo "version: $got"

# The packaged app finds its own starter model; LanguageTool comes from the cache folder.
LT_DIR=$(.venv/bin/python -c 'from engine.paths import app_paths; print(app_paths().languagetool)')
mkdir -p "$HOME_DIR/config"
printf 'languagetool_dir = "%s"\n' "$LT_DIR" > "$HOME_DIR/config/settings.toml"
export WORDLOOM_HOME="$HOME_DIR" QT_QPA_PLATFORM=offscreen
"$APP" models --json | .venv/bin/python -c '
import json, sys
data = json.load(sys.stdin)
assert data["default"] and data["default"].endswith("SmolLM2-135M-Instruct.Q4_1.gguf"), data
print("models: the starter model is inside the package")'
summary=$("$APP" --smoke --screenshot "$HOME_DIR/shot.png" 2>/dev/null | tail -n 1)
echo "$summary" | .venv/bin/python -c '
import json, sys
data = json.loads(sys.stdin.read())
assert data["ok"], data
assert data["engines"]["harper"] == "ready", data
print(f"smoke: ok in {data[\"seconds\"]} s, {data[\"candidates\"]} candidates, "
      f"{data[\"issues\"]} issues, engines {data[\"engines\"]}")'
[ -s "$HOME_DIR/shot.png" ] || { echo "error: no screenshot" >&2; exit 1; }

echo "emulated CPU: qemu-x86_64 -cpu Haswell (AVX2, no AVX-512)"
out=$(timeout 900 qemu-x86_64 -cpu Haswell "$APP" generate --seed 1 --max-tokens 6 --json \
      "Say hello." 2>&1) || { echo "$out" | tail -5; echo "error: failed under Haswell" >&2; exit 1; }
echo "$out" | .venv/bin/python -c '
import json, sys
text = sys.stdin.read()
data = json.loads(text[text.index("{"):])
assert data["completion_tokens"] > 0 and data["text"].strip(), data
print(f"emulated Haswell: {data[\"completion_tokens\"]} tokens: {data[\"text\"]!r} "
      f"({data[\"tokens_per_s\"]} tok/s under emulation)")'
echo "package-test: all checks passed"
