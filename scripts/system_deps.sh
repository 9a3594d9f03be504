#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for browser tests, CJK fonts, poppler (pdftotext, pdfsig),
# qpdf, gettext and NSS tools (certutil, to trust the court root in pdfsig's checks). Installs only what is missing; never fails the build on a machine without apt.
# `system_deps.sh run` installs only what serving needs (CJK fonts and Pango for rendering court papers).
set -u
need=()
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-test}" = "test" ]; then
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
command -v janus >/dev/null 2>&1 || need+=(janus)  # rooms: the SFU the media tests start
command -v janus-pp-rec >/dev/null 2>&1 || need+=(janus-tools)  # .mjr recordings → webm/opus
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)  # transcripts: Mandarin test speech for the ASR pipeline
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system_deps: missing ${need[*]} and no apt-get; the tests that need them will be skipped" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
echo "system_deps: installing ${need[*]}"
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "system_deps: could not install ${need[*]}; the tests that need them will be skipped" >&2
