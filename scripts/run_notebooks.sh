#!/usr/bin/env bash
# Execute the worked examples in notebooks/*.ipynb in place, so the outputs committed are the
# ones produced by running them. Needs the release binary (cargo test --release --workspace
# --no-run, or cargo build --release) and Python 3 with venv.
#
#   scripts/run_notebooks.sh [NOTEBOOK.ipynb...]
#
# A virtual environment with pinned jupyter packages and polars is made in
# $KALIMA_NB_VENV (default target/notebook-venv). The notebooks find the shared corpora in
# $KALIMA_SHARED_DATA (default ../shared/data) and print a clear "skipped" line in their
# cells when they are absent. Each notebook may run for at most $KALIMA_NB_TIMEOUT seconds
# per cell (default 900).
#
# The notebooks check their key figures with `assert`: a failed one (or any cell error) stops
# that notebook with the cell's traceback, leaves its file as it was, and this script exits 1.
# CI sets KALIMA_REQUIRE_DATA=1, under which absent corpora fail the notebooks too.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${KALIMA_NB_VENV:-target/notebook-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r notebooks/requirements.txt
fi
export KALIMA="${KALIMA:-$PWD/target/release/kalima}"
[ -x "$KALIMA" ] || { echo "run_notebooks: no kalima binary at $KALIMA (build with cargo first)" >&2; exit 2; }
if [ $# -eq 0 ]; then set -- notebooks/*.ipynb; fi
for nb in "$@"; do
  echo "executing $nb" >&2
  "$venv/bin/python" - "$nb" <<'PY'
import os, sys, time
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
t = time.time()
NotebookClient(nb, timeout=int(os.environ.get("KALIMA_NB_TIMEOUT", "900")),
               kernel_name="python3",
               resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute()
# Stable files: no execution timestamps in the committed notebook.
for c in nb.cells:
    c.get("metadata", {}).pop("execution", None)
nbformat.write(nb, path)
print(f"{path}: ok in {time.time() - t:.0f} s", file=sys.stderr)
PY
done
