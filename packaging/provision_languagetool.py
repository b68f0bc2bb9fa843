"""Assemble a LanguageTool server from Maven Central into the cache folder.

Needs Java >= 17 and Maven; without them it says so and leaves Harper to work alone.
Takes the newest LanguageTool that resolves with its dependencies, with English, German,
French, Spanish, Portuguese, Catalan and Chinese; ``WORDLOOM_LT_LANGUAGES="en de nl"``
chooses other language modules (es, pt and ca are always needed). Idempotent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from engine.grammar.ltserver import java_version
from engine.paths import app_paths

POM = Path(__file__).resolve().parent / "languagetool" / "pom.xml"
FALLBACK_VERSIONS = ["6.8", "6.7", "6.6", "6.5", "6.4"]
NEWEST = "[6.0,)"
# es, pt and ca are needed by LanguageTool's own language detector; the rest are offered.
REQUIRED_LANGUAGES = ("en", "es", "pt", "ca")
DEFAULT_LANGUAGES = "en de fr zh"


def languages() -> list[str]:
    raw = os.environ.get("WORDLOOM_LT_LANGUAGES", DEFAULT_LANGUAGES)
    chosen = {code.strip() for code in raw.replace(",", " ").split() if code.strip()}
    return sorted(chosen | set(REQUIRED_LANGUAGES))


def render_pom(version: str, langs: list[str]) -> str:
    deps = "\n".join(
        "    <dependency><groupId>org.languagetool</groupId>"
        f"<artifactId>language-{code}</artifactId><version>{version}</version></dependency>"
        for code in langs
    )
    return POM.read_text().replace("LT_VERSION", version).replace("LT_LANGUAGES", deps)


def try_version(version: str, langs: list[str], out: Path) -> str | None:
    """Copy the jars for ``version`` into ``out``; the resolved version, or None."""
    with tempfile.TemporaryDirectory() as work:
        pom = Path(work) / "pom.xml"
        pom.write_text(render_pom(version, langs))
        cmd = ["mvn", "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
               f"-DoutputDirectory={out}"]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
            print(f"languagetool: version {version} did not resolve: {' '.join(tail)[:300]}")
            return None
    jars = {p.name for p in out.glob("*.jar")}
    server = [re.match(r"languagetool-server-(.+)\.jar$", j) for j in jars]
    found = [m.group(1) for m in server if m]
    if not found:
        return None
    resolved = found[0]
    missing = [c for c in langs if f"language-{c}-{resolved}.jar" not in jars]
    if missing:
        print(f"languagetool: {resolved} lacks language modules {missing}")
        return None
    return resolved


def main() -> int:
    dest = app_paths().languagetool
    marker = dest / "installed.json"
    langs = languages()
    if marker.exists():
        info = json.loads(marker.read_text())
        if set(langs) <= set(info.get("languages", [])) and (dest / "lib").is_dir():
            print(f"languagetool: {info['version']} ({', '.join(info['languages'])}) "
                  f"in {dest}")
            return 0
    java = java_version()
    if java is None or java < 17 or shutil.which("mvn") is None:
        why = "Maven is missing" if java and java >= 17 else "Java >= 17 is missing"
        print(f"languagetool: skipped ({why}); grammar checks use Harper alone")
        return 0
    dest.mkdir(parents=True, exist_ok=True)
    staging = dest / "lib.new"
    for version in [NEWEST, *FALLBACK_VERSIONS]:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        resolved = try_version(version, langs, staging)
        if resolved:
            break
    else:
        shutil.rmtree(staging, ignore_errors=True)
        print("error: no LanguageTool version resolved from Maven", file=sys.stderr)
        return 1
    shutil.rmtree(dest / "lib", ignore_errors=True)
    staging.rename(dest / "lib")
    marker.write_text(json.dumps({"version": resolved, "languages": langs}))
    print(f"languagetool: installed {resolved} ({', '.join(langs)}) in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
