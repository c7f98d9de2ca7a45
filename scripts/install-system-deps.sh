#!/usr/bin/env bash
# Debian packages the gateway and its tests use: Dovecot (the tests' real IMAP server), Tesseract with
# its Vietnamese model (OCR of scans), fonts with Vietnamese glyphs (sample documents, the register form's PDF),
# poppler-utils; with --tests also Chromium (the web workplace's browser tests drive Debian's chromium with
# Playwright). Installs only what is missing; needs root (or sudo) on a fresh machine.
set -euo pipefail
need=()
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-vie)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need+=(fonts-dejavu-core)
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -e /usr/share/zoneinfo/Asia/Ho_Chi_Minh ] || need+=(tzdata)  # the office calendar's time zone
if [ "${1:-}" = "--tests" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)  # browser tests (tests/web/test_browser.py)
fi
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
