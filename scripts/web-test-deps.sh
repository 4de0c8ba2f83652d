#!/usr/bin/env bash
# What the browser tests of `packager serve` check pages with, from npm, installed once into
# build/npm (git-ignored), never fetched while a test runs: axe-core (Deque's accessibility
# rules, run inside chromium) and vnu-jar (the Nu HTML checker; needs Java 11+).
# No install scripts run (vnu-jar's would fetch a Java runtime). Without npm, the tests skip.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/build/npm"
[ -f "$dest/node_modules/axe-core/axe.min.js" ] && [ -f "$dest/node_modules/vnu-jar/build/dist/vnu.jar" ] && exit 0
command -v npm >/dev/null 2>&1 || { echo "packager: npm not found: the axe-core and HTML checks will be skipped" >&2; exit 0; }
mkdir -p "$dest"
npm install --prefix "$dest" --no-audit --no-fund --ignore-scripts --no-save \
  axe-core@4.14.1 vnu-jar@26.9.27 >&2 || echo "packager: npm install failed: those checks will be skipped" >&2
exit 0
