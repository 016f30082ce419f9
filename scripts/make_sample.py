#!/usr/bin/env python3
"""Build data/sample/ from the UD Arabic-PUD shared half (CC BY-SA 3.0).

    python3 scripts/make_sample.py [../shared/data/ud_arabic_pud/ar_pud-ud-test.shared-half.conllu]

One plain-text file per `# newdoc id` document, one sentence (`# text =`) per line, named
NNN-<doc id>.txt (PUD repeats `# newdoc` per sentence; consecutive repeats are one document) so that directory order is document order. Deterministic: re-running it gives
byte-identical files.
"""
import os
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "shared", "data", "ud_arabic_pud",
    "ar_pud-ud-test.shared-half.conllu")
out = os.path.join(os.path.dirname(__file__), "..", "data", "sample")
os.makedirs(out, exist_ok=True)
docs = []
with open(src, encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("# newdoc id = "):
            doc_id = line[len("# newdoc id = "):].strip()
            # PUD repeats the newdoc line before every sentence of a document.
            if not docs or docs[-1][0] != doc_id:
                docs.append((doc_id, []))
        elif line.startswith("# text = "):
            docs[-1][1].append(line[len("# text = "):])
for old in os.listdir(out):
    if old.endswith(".txt"):
        os.remove(os.path.join(out, old))
for i, (doc_id, sents) in enumerate(docs):
    name = "%03d-%s.txt" % (i, re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id))
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(sents) + "\n")
print(f"{len(docs)} documents, {sum(len(s) for _, s in docs)} sentences -> {out}", file=sys.stderr)
