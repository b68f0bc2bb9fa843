#!/usr/bin/env bash
# Install the Debian packages Wordloom needs, when missing: the run-time list the .deb
# depends on (packaging/deb/depends.txt, one list for both), a font, Maven to assemble
# LanguageTool, Xvfb and xdotool for the tests that open a real X11 window and type in it,
# and LibreOffice Writer (without its GUI) for the test that reads Wordloom's tracked
# changes as a word processor.
# Extra packages can be named as arguments (packaging/build.sh asks for its tools this way).
set -euo pipefail
cd "$(dirname "$0")/.."

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1 || true)
missing=()
# Each line of the run-time list: the first alternative is installed when none is.
while IFS= read -r line; do
  line=${line%%#*}
  [ -n "${line// /}" ] || continue
  if [[ "$line" == *java* ]] && [ -n "$java_major" ] && [ "$java_major" -ge 17 ]; then
    continue  # a Java >= 17 that did not come from a package is fine too
  fi
  have=""
  IFS='|' read -ra alternatives <<< "$line"
  for alt in "${alternatives[@]}"; do
    name=$(echo "$alt" | sed 's/(.*)//' | xargs)
    installed "$name" && have=1 && break
  done
  [ -n "$have" ] || missing+=("$(echo "${alternatives[0]}" | sed 's/(.*)//' | xargs)")
done < packaging/deb/depends.txt

for pkg in fonts-dejavu-core xvfb xdotool libreoffice-writer-nogui "$@"; do
  installed "$pkg" || missing+=("$pkg")
done
command -v mvn >/dev/null 2>&1 || missing+=(maven)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "sysdeps: please install: ${missing[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "sysdeps: please install (as root): ${missing[*]}" >&2
    exit 0
  fi
  sudo="sudo"
fi
echo "sysdeps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
