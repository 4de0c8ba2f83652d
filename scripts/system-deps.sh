#!/usr/bin/env bash
# Make sure the system parts packager needs are present: a Simplified-Chinese
# font, Pango/HarfBuzz for WeasyPrint, and (for tests) qpdf, poppler-utils and chromium
# (the browser test of `packager serve`); with --bench also what the benchmarks compare
# against (Ghostscript, OCRmyPDF with Tesseract chi_sim, unpaper for its --clean).
# Installs them with apt-get when root (or with passwordless sudo); otherwise
# names the missing packages and exits 6, the "missing CJK font / render" code.
set -u
want="fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 qpdf poppler-utils chromium"
[ "${1:-}" = "--bench" ] && want="$want ghostscript ocrmypdf tesseract-ocr-chi-sim unpaper"

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  # Not Debian: check by what the packages provide.
  fc-list ':lang=zh-cn' 2>/dev/null | grep -qi 'CJK SC\|Source Han\|Songti\|PingFang\|SimSun' || missing+=("fonts-noto-cjk")
  command -v qpdf >/dev/null || missing+=("qpdf")
  command -v pdftoppm >/dev/null || missing+=("poppler-utils")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
  else sudo="none"; fi
  if [ "$sudo" != none ]; then
    echo "packager: installing system packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 &&
      exit 0
    echo "packager: apt-get could not install: ${missing[*]}" >&2
    exit 6
  fi
fi
echo "packager: missing system packages: ${missing[*]}" >&2
echo "  缺少系统组件，请先安装：sudo apt-get install ${missing[*]}" >&2
echo "  (macOS: brew install pango qpdf poppler, and a Chinese font such as Noto Serif CJK SC)" >&2
exit 6
