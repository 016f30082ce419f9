#!/usr/bin/env python3
"""Execute the worked examples in notebooks/ and write their outputs back.

Each notebook calls the release `kalima` binary (path in $KALIMA, default
target/release/kalima) and reads its Parquet output with polars. A notebook whose
metadata has `"kalima": {"needs_shared_data": true}` is skipped, with a message, when
../shared/data is absent. Exit status 1 when any notebook fails.

    python3 scripts/run_notebooks.py [--check] [NOTEBOOK...]

--check executes without writing the outputs back (what CI does on a clean clone).
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    check = "--check" in argv
    names = [a for a in argv if not a.startswith("--")]
    books = [Path(n) for n in names] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    kalima = os.environ.get("KALIMA", str(ROOT / "target/release/kalima"))
    if not Path(kalima).is_file():
        print(f"run_notebooks: no kalima binary at {kalima} (build with cargo first)", file=sys.stderr)
        return 2
    os.environ["KALIMA"] = kalima
    shared = (ROOT / "../shared/data").resolve()
    failed = 0
    for book in books:
        nb = nbformat.read(book, as_version=4)
        if nb.metadata.get("kalima", {}).get("needs_shared_data") and not shared.is_dir():
            print(f"run_notebooks: skipped {book.name}: ../shared/data is absent", file=sys.stderr)
            continue
        t = time.time()
        client = NotebookClient(nb, timeout=1200, kernel_name="python3",
                                resources={"metadata": {"path": str(book.parent)}})
        try:
            client.execute()
        except Exception as e:  # a failing cell: report it, go on with the others
            failed += 1
            print(f"run_notebooks: FAILED {book.name}: {e}", file=sys.stderr)
            continue
        if not check:
            nbformat.write(nb, book)
        print(f"run_notebooks: ok {book.name} ({time.time() - t:.1f} s)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
