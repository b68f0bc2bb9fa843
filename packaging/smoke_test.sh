#!/usr/bin/env bash
# make package-test: unpack the .deb into a fresh root, then run the packaged app:
#   wordloom --version, wordloom --smoke (offscreen, real model and checkers),
#   and a few tokens of generation under an emulated Haswell CPU (no AVX-512).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(.venv/bin/python -c 'from engine.version import __version__; print(__version__)')
DEB="dist/wordloom_${VERSION}_amd64.deb"
[ -f "$DEB" ] || { echo "error: $DEB is missing: run make package" >&2; exit 1; }
bash packaging/sysdeps.sh qemu-user binutils
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

# The packaged app finds its own starter model and its own LanguageTool server: the
# home folder (settings, cache) starts empty.
export WORDLOOM_HOME="$HOME_DIR" QT_QPA_PLATFORM=offscreen
"$APP" models --json | .venv/bin/python -c '
import json, sys
data = json.load(sys.stdin)
assert data["default"] and data["default"].endswith("SmolLM2-135M-Instruct.Q4_1.gguf"), data
print("models: the starter model is inside the package")'
"$APP" models catalog --json | .venv/bin/python -c '
import json, sys
data = json.load(sys.stdin)
n = len(data["models"])
assert n >= 10, data
print("catalogue:", n, "models inside the package")'
# the hub client is bundled: a download from a closed port fails in one line, no traceback
if "$APP" models download --url http://127.0.0.1:9/x.gguf 2>"$HOME_DIR/dl.err"; then
  echo "error: a download from a closed port succeeded" >&2; exit 1
fi
out=$(grep -v '^connecting' "$HOME_DIR/dl.err")
case "$out" in
  "error: cannot reach 127.0.0.1:9"*) echo "download: $out" ;;
  *) echo "error: models download said: $out" >&2; exit 1 ;;
esac
# proofreading's checked fixes: lemminflect's tables, the scorer and both checkers bundled
echo "We stayed three nigths in the hotel." | "$APP" proofread - --json | .venv/bin/python -c '
import json, sys
data = json.load(sys.stdin)
assert data["text"].strip() == "We stayed three nights in the hotel.", data
assert data["engines"]["model"] == "ready", data
print("proofread:", data["text"], [e["source"] for e in data["edits"]])'
# local history (SQLite, rapidfuzz's diff) and the counts
printf 'One two.\n' > "$HOME_DIR/h.md"
"$APP" history "$HOME_DIR/h.md" --snapshot >/dev/null
printf 'One two three.\n' > "$HOME_DIR/h.md"
"$APP" history "$HOME_DIR/h.md" --diff 1 | grep -q '^+One two three\.$' || {
  echo "error: history --diff did not show the change" >&2; exit 1; }
echo "我们走。 And go." | "$APP" stats - --json | .venv/bin/python -c '
import json, sys
data = json.load(sys.stdin)
assert data["words"] == 5 and data["cjk_characters"] == 3, data
print("history and stats: a version kept, its diff shown;", data["words"], "words counted")'
# a writing project: the search index (SQLite FTS5), the trash library and EbookLib bundled
mkdir -p "$HOME_DIR/book/Part One"
printf '# One\n\nMr. Darcy came to 杭州.\n' > "$HOME_DIR/book/Part One/one.md"
"$APP" project init "$HOME_DIR/book" --title Book --json >/dev/null
"$APP" project search "$HOME_DIR/book" 杭州 --json | .venv/bin/python -c '
import json, sys
data = json.load(sys.stdin)
assert [h["path"] for h in data["hits"]] == ["Part One/one.md"], data'
"$APP" project build "$HOME_DIR/book" "$HOME_DIR/book.epub" >/dev/null
.venv/bin/python -c '
import sys, zipfile
book = zipfile.ZipFile(sys.argv[1])
assert book.read("mimetype") == b"application/epub+zip"
assert any("Darcy" in book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
print("project: searched (杭州) and built as EPUB")' "$HOME_DIR/book.epub"
summary=$("$APP" --smoke --screenshot "$HOME_DIR/shot.png" 2>/dev/null | tail -n 1)
.venv/bin/python - "$summary" <<'PY'
import json, sys
data = json.loads(sys.argv[1])
assert data["ok"], data
assert data["engines"]["harper"] == "ready", data
assert data["engines"]["languagetool"] == "ready", data
print(f"smoke: ok in {data['seconds']} s, {data['candidates']} candidates, "
      f"{data['issues']} issues, engines {data['engines']}, accepted {data['accepted']!r}")
PY
[ -s "$HOME_DIR/shot.png" ] || { echo "error: no screenshot" >&2; exit 1; }
if find "$HOME_DIR" -name 'languagetool-server-*.jar' | grep -q .; then
  echo "error: LanguageTool was found outside the package" >&2; exit 1
fi
echo "languagetool: the package's own server was ready with an empty cache folder"

zmm=$(objdump -d --no-show-raw-insn "$ROOT/opt/wordloom/_internal/llama_cpp/lib/libggml-cpu.so" | grep -c zmm || true)
[ "$zmm" = "0" ] || { echo "error: the packaged llama.cpp uses AVX-512 ($zmm zmm instructions)" >&2; exit 1; }
echo "portable: the packaged libggml-cpu.so has no AVX-512 instructions"

# PyInstaller's bootloader re-executes itself, which qemu-user would not follow: start it
# as the re-executed process so the whole app runs under the emulated CPU.
emulate() {
  env _PYI_ARCHIVE_FILE="$APP" _PYI_PARENT_PROCESS_LEVEL=-1 _PYI_LINUX_PROCESS_NAME=wordloom \
      LD_LIBRARY_PATH="$ROOT/opt/wordloom/_internal" \
      timeout 900 qemu-x86_64 -cpu "$1" "$APP" generate --seed 1 --max-tokens 4 --json \
      "Say hello." 2>/dev/null
}
if (emulate Nehalem) >/dev/null 2>&1; then
  echo "error: the app ran on an emulated CPU without AVX2: the emulation is not in effect" >&2
  exit 1
fi
echo "emulated Nehalem (no AVX2): refused with an illegal instruction, as expected"
echo "emulated Haswell (AVX2, no AVX-512): generating 4 tokens (about two minutes)…"
out=$(emulate Haswell) || { echo "error: failed under an emulated Haswell" >&2; exit 1; }
.venv/bin/python - "$out" <<'PY'
import json, sys
text = sys.argv[1]
data = json.loads(text[text.index("{"):])
assert data["completion_tokens"] > 0 and data["text"].strip(), data
print(f"emulated Haswell: {data['completion_tokens']} tokens: {data['text']!r} "
      f"({data['tokens_per_s']} tok/s under emulation)")
PY
echo "package-test: all checks passed"
