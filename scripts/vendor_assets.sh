#!/usr/bin/env bash
# Install the front-end packages pinned in package-lock.json and copy just the files the pages use into
# assets/vendor/ (gitignored; served by Django staticfiles/whitenoise). Courts' networks have no CDN.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --omit=optional --no-audit --no-fund --loglevel=error

NM=node_modules
OUT=assets/vendor
rm -rf "$OUT"
mkdir -p "$OUT"/{bootstrap,bootstrap-icons/fonts,htmx,pdfjs,axe-core}

# Bootstrap 5: CSS and the JS bundle (includes Popper).
cp "$NM"/bootstrap/dist/css/bootstrap.min.css "$NM"/bootstrap/dist/css/bootstrap.min.css.map "$OUT"/bootstrap/
cp "$NM"/bootstrap/dist/js/bootstrap.bundle.min.js "$NM"/bootstrap/dist/js/bootstrap.bundle.min.js.map "$OUT"/bootstrap/
cp "$NM"/bootstrap/LICENSE "$OUT"/bootstrap/LICENSE

# Bootstrap Icons: the web font and its stylesheet (which refers to fonts/ beside it).
cp "$NM"/bootstrap-icons/font/bootstrap-icons.min.css "$OUT"/bootstrap-icons/
cp "$NM"/bootstrap-icons/font/fonts/bootstrap-icons.woff2 "$NM"/bootstrap-icons/font/fonts/bootstrap-icons.woff \
   "$OUT"/bootstrap-icons/fonts/
cp "$NM"/bootstrap-icons/LICENSE "$OUT"/bootstrap-icons/LICENSE

# htmx
cp "$NM"/htmx.org/dist/htmx.min.js "$OUT"/htmx/
cp "$NM"/htmx.org/LICENSE "$OUT"/htmx/LICENSE

# pdf.js (modern build: ES modules): library, worker, and the data it fetches at run time —
# cmaps for non-embedded CID fonts such as STSong-Light, standard fonts, wasm image decoders, ICC profiles.
cp "$NM"/pdfjs-dist/build/pdf.min.mjs "$NM"/pdfjs-dist/build/pdf.worker.min.mjs "$OUT"/pdfjs/
cp -r "$NM"/pdfjs-dist/cmaps "$NM"/pdfjs-dist/standard_fonts "$NM"/pdfjs-dist/wasm "$NM"/pdfjs-dist/iccs "$OUT"/pdfjs/
cp "$NM"/pdfjs-dist/LICENSE "$OUT"/pdfjs/LICENSE

# axe-core: the accessibility checker the browser tests run over every key page (WCAG 2 A/AA); not served to users.
cp "$NM"/axe-core/axe.min.js "$NM"/axe-core/LICENSE "$OUT"/axe-core/

echo "vendored into $OUT: $(find "$OUT" -type f | wc -l) files, $(du -sh "$OUT" | cut -f1)"
