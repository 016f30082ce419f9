#!/usr/bin/env python3
"""Clitic segmentation data, training and cross-validation for kalima's `--scheme clitic`.

Deterministic (no randomness, sorted iteration), standard library only.

    python3 scripts/clitic/clitic.py convert  ../shared/data  OUT_DIR   # one training format
    python3 scripts/clitic/clitic.py lexicon  FREQ.tsv        LEX.txt   # from `kalima freq` TSV
    python3 scripts/clitic/clitic.py train    OUT_DIR LEX.txt MODEL.bin [sources...]
    python3 scripts/clitic/clitic.py cv       OUT_DIR LEX.txt           # 5-fold CV on PUD by doc
    python3 scripts/clitic/clitic.py cv-all   ../shared/data OUT_DIR LEX.txt KALIMA [MODEL.bin]
        # the same folds scored on all words of the held-out sentences (scripts/clitic/cv_score.sh)
    python3 scripts/clitic/clitic.py training-keys ../shared/data KEYS.txt
        # keys of the sentences the shipped model trained on (for `kalima bench`'s overlap column)

The training format (OUT_DIR/<source>.tsv), one line per surface word:
    doc <TAB> surface <TAB> proclitics <TAB> enclitic <TAB> restored stem
where `proclitics` is the surface prefix split off (e.g. "ول", "" when none), `enclitic` the
surface suffix split off, and the restored stem the stem as the gold data spells it (e.g. the
surface stem "لمدينة" of "للمدينة" is "المدينة"). Only Arabic-letter words are written.

The model (see crates/kalima-text/src/clitic.rs, which must compute the same features): for each
word, every candidate (proclitic chain, enclitic) pair is scored by a linear function of hashed
string features (FNV-1a 64, 2^18 buckets); the best wins. Trained with the averaged structured
perceptron (Collins 2002), 8 epochs, sources in a fixed order.
"""
import json
import math
import struct
import subprocess
import sys
import unicodedata
from pathlib import Path

BUCKETS = 1 << 18
EPOCHS = 8
A_Q = ["", "أ"]
A_C = ["", "و", "ف"]
A_P = ["", "ب", "ك", "ل", "س"]
ENCLITICS = ["", "ي", "ني", "نا", "ك", "كما", "كم", "كن", "ه", "ها", "هما", "هم", "هن"]
PROCLITIC_CHAINS = sorted({q + c + p for q in A_Q for c in A_C for p in A_P}, key=lambda s: (len(s), s))


def skeleton(s):
    """Letters only: harakat, superscript alef, tatweel dropped; alef wasla -> alef."""
    out = []
    for ch in s:
        if ch == "\u0640" or unicodedata.category(ch) == "Mn":
            continue
        out.append("ا" if ch == "\u0671" else ch)
    return "".join(out)


def is_arabic_word(w):
    return len(w) > 0 and all("\u0621" <= ch <= "\u064A" for ch in w)


def restore_stem(p, s, e, lex):
    """The stem as gold data spells it: ل+ل… -> ل+ال…; ت/ي before an enclitic -> ة/ى when the
    lexicon prefers that spelling."""
    if p.endswith("ل") and s.startswith("ل"):
        s = "ا" + s
    if e and len(s) >= 2:
        if s.endswith("ت") and lex.get(s[:-1] + "ة", 0) > lex.get(s, 0):
            s = s[:-1] + "ة"
        elif s.endswith("ي") and lex.get(s[:-1] + "ى", 0) > lex.get(s, 0):
            s = s[:-1] + "ى"
    return s


def candidates(w):
    """(p, e) pairs whose split is possible on the surface word w."""
    out = []
    for p in PROCLITIC_CHAINS:
        if not w.startswith(p) or len(p) >= len(w):
            continue
        for e in ENCLITICS:
            if e and not w.endswith(e):
                continue
            stem_len = len(w) - len(p) - len(e)
            if stem_len < 0:
                continue
            if stem_len == 0 and not (p and e and p[-1] in "بلك"):
                continue
            out.append((p, e))
    return out


def bucket(lex, x):
    c = lex.get(x, 0)
    return 0 if c == 0 else min(1 + int(math.log2(c)), 24)


def features(w, p, e, lex):
    s = w[len(p):len(w) - len(e)]
    rs = restore_stem(p, s, e, lex)
    fl = ("P" if p else "-") + ("E" if e else "-")
    bw = bucket(lex, w)
    bs = bucket(lex, rs)
    return [
        "p:" + p,
        "e:" + e,
        "pe:" + p + "|" + e,
        "w:" + w + "|" + p + "|" + e,
        "s:" + rs + "|" + fl,
        "sf:" + s[:2] + "|" + p,
        "sf1:" + s[:1] + "|" + p,
        "sl:" + s[-2:] + "|" + e,
        "sl1:" + s[-1:] + "|" + e,
        "ln:" + str(min(len(s), 9)) + "|" + p + "|" + e,
        "lx:" + str(bs) + "|" + fl,
        "lxw:" + str(bw) + "|" + str(bs) + "|" + fl,
        "lxp:" + str(bs) + "|" + p + "|" + e,
    ]


def fnv(s):
    h = 0xcbf29ce484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def feat_ids(w, p, e, lex):
    return [fnv(f) & (BUCKETS - 1) for f in features(w, p, e, lex)]


# ---------------------------------------------------------------- conversion


def conllu_sentences(path):
    sent, meta = [], {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if sent:
                yield meta, sent
            sent, meta = [], {}
        elif line.startswith("#"):
            if " = " in line:
                k, v = line[1:].split(" = ", 1)
                meta[k.strip()] = v
            elif " " in line[2:]:
                k, v = line[1:].strip().split(" ", 1)
                meta[k] = v
        else:
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            sent.append(cols)
    if sent:
        yield meta, sent


def pud_rows(path):
    """PUD shared half: clitics are separate words glued with SpaceAfter=No; surface = exact
    concatenation. A surface word is a maximal run of Arabic words glued together."""
    doc = None
    for meta, sent in conllu_sentences(path):
        doc = meta.get("newdoc id", doc)
        groups, cur = [], []
        for i, cols in enumerate(sent):
            form = skeleton(cols[1])
            cur.append(form)
            glued = "SpaceAfter=No" in cols[9]
            nxt = skeleton(sent[i + 1][1]) if i + 1 < len(sent) else ""
            if not (glued and is_arabic_word(form) and is_arabic_word(nxt)):
                groups.append(cur)
                cur = []
        for g in groups:
            if all(is_arabic_word(x) for x in g):
                yield doc, g


def split_group(words):
    """Words of one surface word -> (surface, p, e, restored stem) or None."""
    # proclitics: leading single-letter words (and the interrogative أ) in chain order
    i, p = 0, ""
    while i < len(words) - 1 and (p + words[i]) in PROCLITIC_CHAINS and len(words[i]) == 1:
        p += words[i]
        i += 1
    j, e = len(words), ""
    if j - i >= 2 and words[-1] in ENCLITICS:
        e = words[-1]
        j -= 1
    stem_words = words[i:j]
    if len(stem_words) > 1:
        return None
    stem = stem_words[0] if stem_words else ""
    surf_stem = stem
    if p.endswith("ل") and stem.startswith("ال"):
        surf_stem = stem[1:]
    if e and surf_stem.endswith("ة"):
        surf_stem = surf_stem[:-1] + "ت"
    if e and surf_stem.endswith("ى"):
        surf_stem = surf_stem[:-1] + "ي"
    return p + surf_stem + e, p, e, stem


def padt_rows(path):
    """PADT r1.2: vocalized syntactic words, no surface tokens. Surface words are rebuilt:
    one-letter proclitic words (و ف ب ك ل س) glue to the next word, pronouns in the enclitic
    list that are not nominative glue to the previous word (free pronouns are nominative)."""
    for meta, sent in conllu_sentences(path):
        doc = meta.get("orig_file_sentence", "?").split("#")[0]
        forms = [skeleton(c[1]) for c in sent]
        groups, cur, i = [], [], 0
        while i < len(sent):
            f = forms[i]
            cur.append(f)
            nxt_is_enc = (
                i + 1 < len(sent)
                and sent[i + 1][3] == "PRON"
                and forms[i + 1] in ENCLITICS
                and "Case=Nom" not in sent[i + 1][5]
                and is_arabic_word(f)
            )
            is_pro = len(f) == 1 and f in "وفبكلس" and sent[i][3] in ("CONJ", "ADP", "AUX", "PART", "SCONJ", "CCONJ")
            if not (is_pro or nxt_is_enc) or i + 1 == len(sent):
                groups.append(cur)
                cur = []
            i += 1
        if cur:
            groups.append(cur)
        for g in groups:
            if all(is_arabic_word(x) for x in g):
                yield doc, g


def farasa_rows(path):
    lines = open(path, encoding="utf-8").read().splitlines()[1:]
    doc = 0
    for line in lines:
        seg, _, pos = line.partition("\t")
        if seg == "#":
            doc += 1
            continue
        segs, tags = seg.split("+"), pos.split("+")
        if len(segs) != len(tags):
            continue
        words, cur = [], ""
        k = 0
        while k < len(segs) and tags[k] in ("CONJ", "PREP", "FUT_PART", "PART") and len(segs[k]) == 1 and k < len(segs) - 1:
            words.append(segs[k])
            k += 1
        last = len(segs)
        enc = None
        if last - k >= 2 and tags[-1] == "PRON" and segs[-1] in ENCLITICS and tags[k] != "V":
            enc = segs[-1]
            last -= 1
        cur = "".join(segs[k:last])
        if cur:
            words.append(cur)
        if enc:
            words.append(enc)
        words = [skeleton(x) for x in words]
        if all(is_arabic_word(x) for x in words):
            yield f"wikinews{doc}", words


def convert(data, out):
    data, out = Path(data), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sources = {
        "pud": pud_rows(data / "ud_arabic_pud/ar_pud-ud-test.shared-half.conllu"),
        "padt": padt_rows(data / "padt/ar-ud-dev.r1.2.conllu"),
        "farasa": farasa_rows(data / "farasa_wikinews/WikiNews.pos.ref"),
    }
    for name, rows in sources.items():
        n = bad = 0
        with open(out / f"{name}.tsv", "w", encoding="utf-8") as f:
            for doc, words in rows:
                r = split_group(words)
                if r is None:
                    bad += 1
                    continue
                surface, p, e, stem = r
                f.write(f"{doc}\t{surface}\t{p}\t{e}\t{stem}\n")
                n += 1
        print(f"{name}: {n} words, {bad} groups not representable", file=sys.stderr)


# ---------------------------------------------------------------- lexicon and model


def make_lexicon(freq_tsv, out, min_count=5):
    rows = []
    for i, line in enumerate(open(freq_tsv, encoding="utf-8")):
        if i == 0:
            continue
        term, count = line.split("\t")[:2]
        term = skeleton(term)
        if is_arabic_word(term) and int(count) >= min_count:
            rows.append((term, int(count)))
    merged = {}
    for t, c in rows:
        merged[t] = merged.get(t, 0) + c
    with open(out, "w", encoding="utf-8") as f:
        f.write("# word<TAB>log2 bucket; from `kalima freq` over the ANT corpus v2.1 (see docs/clitic.md)\n")
        for t in sorted(merged):
            f.write(f"{t}\t{int(math.log2(merged[t]))}\n")


def load_lexicon(path):
    lex = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        t, b = line.rstrip("\n").split("\t")
        lex[t] = 1 << int(b)  # back to a count of the same log2 bucket
    return lex


def load_rows(path):
    for line in open(path, encoding="utf-8"):
        doc, surface, p, e, stem = line.rstrip("\n").split("\t")
        yield doc, surface, p, e, stem


def train(examples, lex):
    """Averaged structured perceptron over candidate (p, e) pairs."""
    w = [0.0] * BUCKETS
    u = [0.0] * BUCKETS  # sum of c * update, for averaging
    c = 1
    prepared = []
    for surface, p, e in examples:
        cands = candidates(surface)
        if len(cands) < 2 or (p, e) not in cands:
            continue
        prepared.append(([feat_ids(surface, cp, ce, lex) for cp, ce in cands], cands.index((p, e))))
    for _ in range(EPOCHS):
        for feats, gold in prepared:
            best, best_s = 0, None
            for k, fs in enumerate(feats):
                sc = sum(w[i] for i in fs)
                if best_s is None or sc > best_s:
                    best, best_s = k, sc
            if best != gold:
                for i in feats[gold]:
                    w[i] += 1
                    u[i] += c
                for i in feats[best]:
                    w[i] -= 1
                    u[i] -= c
            c += 1
    return [wi - ui / c for wi, ui in zip(w, u)]


def predict(weights, surface, lex):
    cands = candidates(surface)
    if len(cands) < 2:
        return "", ""
    best, best_s = cands[0], None
    for cp, ce in cands:
        sc = sum(weights[i] for i in feat_ids(surface, cp, ce, lex))
        if best_s is None or sc > best_s:
            best, best_s = (cp, ce), sc
    return best


def save_model(weights, path):
    m = max(abs(x) for x in weights) or 1.0
    scale = 32767.0 / m
    q = [int(round(x * scale)) for x in weights]
    with open(path, "wb") as f:
        f.write(b"KCLT0001")
        f.write(struct.pack("<II", BUCKETS, 0))
        f.write(struct.pack(f"<{BUCKETS}h", *q))


def examples_of(out, sources):
    ex = []
    for s in sources:
        for doc, surface, p, e, _ in load_rows(Path(out) / f"{s}.tsv"):
            ex.append((surface, p, e))
    return ex


def cv(out, lexpath, folds=5):
    """5-fold cross-validation by document on PUD (plus all Farasa rows in every training
    fold); prints word F1 on the held-out folds and the no-split baseline. Words are exact
    surface substrings in PUD, so the CoNLL 2018 word score is span F1."""
    lex = load_lexicon(lexpath)
    pud = list(load_rows(Path(out) / "pud.tsv"))
    docs = sorted({r[0] for r in pud})
    farasa = examples_of(out, ["farasa"])
    tot = {"model": [0, 0, 0], "nosplit": [0, 0, 0]}
    for k in range(folds):
        test_docs = {d for i, d in enumerate(docs) if i % folds == k}
        tr = [(s, p, e) for d, s, p, e, _ in pud if d not in test_docs] + farasa
        wts = train(tr, lex)
        for d, s, p, e, _ in pud:
            if d not in test_docs:
                continue
            g = spans_of(s, p, e)
            for name, pe in (("model", predict(wts, s, lex)), ("nosplit", ("", ""))):
                sy = spans_of(s, *pe)
                t = tot[name]
                t[0] += len(g)
                t[1] += len(sy)
                t[2] += len(g & sy)
    for name, (g, s, c) in tot.items():
        print(f"{name}: gold {g} system {s} correct {c} F1 {200 * c / (g + s):.2f} (Arabic words only)")


def spans_of(surface, p, e):
    n = len(surface)
    cuts = list(range(len(p) + 1)) + [n - len(e), n]
    cuts = sorted(set(cuts))
    return {(a, b) for a, b in zip(cuts, cuts[1:])}


# ---------------------------------------------------------------- sentences the model saw


def key_char_kept(ch):
    """Characters that identify a sentence: not whitespace, not an Arabic mark or tatweel
    (the same ranges as `kalima_bench::gold::sentence_key`)."""
    o = ord(ch)
    if ch.isspace():
        return False
    return not (0x0610 <= o <= 0x061A or 0x064B <= o <= 0x065F or o in (0x0670, 0x0640) or 0x06D6 <= o <= 0x06ED)


def sentence_key(text):
    """FNV-1a 64 of a sentence's characters without whitespace, marks and tatweel (alef wasla
    read as alef): the same sentence tokenized, spaced or vocalized differently has one key."""
    return fnv("".join("ا" if ch == "\u0671" else ch for ch in text if key_char_kept(ch)))


def training_keys(data, out):
    """Keys of every sentence of the shipped model's training data: all of the PUD shared half
    and every line of the Farasa WikiNews text (see `train` and docs/clitic.md)."""
    data = Path(data)
    keys = set()
    n_pud = n_far = 0
    for _, sent in conllu_sentences(data / "ud_arabic_pud/ar_pud-ud-test.shared-half.conllu"):
        keys.add(sentence_key("".join(c[1] for c in sent)))
        n_pud += 1
    for line in open(data / "farasa_wikinews/WikiNewsTruth.txt", encoding="utf-8"):
        if line.strip():
            keys.add(sentence_key(line))
            n_far += 1
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"# sentences the shipped clitic model was trained on: UD Arabic-PUD shared half ({n_pud}),\n")
        f.write(f"# Farasa WikiNews ({n_far} lines); FNV-1a 64 of the characters without whitespace,\n")
        f.write("# Arabic marks and tatweel. Made by `scripts/clitic/clitic.py training-keys`.\n")
        for k in sorted(keys):
            f.write(f"{k:016x}\n")
    print(f"{len(keys)} keys ({n_pud} PUD sentences, {n_far} WikiNews lines)", file=sys.stderr)


# ---------------------------------------------------------------- all-words cross-validation


def is_mark(ch):
    """As `is_mark` in crates/kalima-text/src/clitic.rs."""
    if "\u0621" <= ch <= "\u063A" or "\u0641" <= ch <= "\u064A":
        return False
    o = ord(ch)
    return (0x0610 <= o <= 0x061A or 0x064B <= o <= 0x065F or o in (0x0670, 0x0640)
            or 0x06D6 <= o <= 0x06ED or unicodedata.category(ch) == "Mn")


def quantize(weights):
    """The 16-bit weights `save_model` writes and the Rust code scores with."""
    m = max(abs(x) for x in weights) or 1.0
    scale = 32767.0 / m
    return [int(round(x * scale)) for x in weights]


def load_model(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<I", raw[8:12])[0]
    return list(struct.unpack(f"<{n}h", raw[16:16 + 2 * n]))


def segment_cuts(token, weights, lex):
    """Cut points (character offsets in `token`) of the split the Rust `segment` makes with
    these weights: marks are skipped for the decision, a word with a non-Arabic letter or fewer
    than two letters is not split."""
    letters = [i for i, ch in enumerate(token) if not is_mark(ch)]
    skel = "".join("ا" if token[i] == "\u0671" else token[i] for i in letters)
    if len(skel) < 2 or not all("\u0621" <= ch <= "\u064A" for ch in skel):
        return []
    p, e = predict(weights, skel, lex)
    n = len(skel)
    at = lambda k: 0 if k == 0 else (len(token) if k >= n else letters[k])
    cuts = [at(k) for k in range(1, len(p) + 1)]
    if e:
        cuts.append(at(n - len(e)))
    return [c for c in cuts if 0 < c < len(token)]


def pud_sentences(path):
    """(doc, text, gold spans) of each sentence: the text as `kalima bench` rebuilds it (forms
    joined by a space except after SpaceAfter=No), gold words as character spans of the text
    without whitespace (PUD words are exact substrings of the surface)."""
    doc = None
    for meta, sent in conllu_sentences(path):
        doc = meta.get("newdoc id", doc)
        text, spans, at = "", set(), 0
        for cols in sent:
            text += cols[1] + ("" if "SpaceAfter=No" in cols[9] else " ")
            n = sum(1 for ch in cols[1] if not ch.isspace())
            spans.add((at, at + n))
            at += n
        yield doc, text.rstrip(" "), spans


def words_tokens(kalima, texts):
    """Character spans (of the text without whitespace) of the `words` scheme's tokens, from
    `kalima tokenize --scheme words --format jsonl`, one list per text, with each token's text."""
    run = subprocess.run([kalima, "tokenize", "--scheme", "words", "--format", "jsonl"],
                         input="\n".join(texts) + "\n", capture_output=True, text=True, check=True)
    lines = run.stdout.splitlines()
    if len(lines) != len(texts):
        sys.exit(f"kalima tokenize gave {len(lines)} lines for {len(texts)} sentences")
    out = []
    for text, line in zip(texts, lines):
        raw = text.encode("utf-8")
        # whitespace-free character index of every byte offset
        idx, k, pos = {}, 0, 0
        for ch in text:
            idx[pos] = k
            pos += len(ch.encode("utf-8"))
            if not ch.isspace():
                k += 1
        idx[pos] = k
        toks = []
        for s, e in json.loads(line)["offsets"]:
            toks.append((idx[s], idx[e], raw[s:e].decode("utf-8")))
        out.append(toks)
    return out


def system_spans(toks, weights, lex):
    spans = set()
    for s, e, tok in toks:
        cuts = [s] + [s + c for c in (segment_cuts(tok, weights, lex) if weights else [])] + [e]
        spans.update(zip(cuts, cuts[1:]))
    return spans


def f1_line(name, g, s, c):
    p, r = 100 * c / s, 100 * c / g
    return f"{name}: words gold {g} system {s} correct {c} P {p:.2f} R {r:.2f} F1 {200 * c / (g + s):.2f}"


def cv_all(data, out, lexpath, kalima, shipped=None, folds=5):
    """`cv`'s folds (PUD documents in sorted order, fold = index mod 5, Farasa in every
    training fold), scored on every word of the held-out sentences as `kalima bench --gold`
    and tests/clitic.rs score it: the sentence text is cut by kalima's `words` scheme, each
    token is split by the fold's model (16-bit weights, the Rust decision rule), and a system
    word is correct when its span equals a gold word's (CoNLL 2018 word F1; PUD has no
    multi-word tokens). With the shipped MODEL.bin, the same pipeline on all sentences must
    print tests/clitic.rs's figure: that checks this scorer against the Rust one."""
    lex = load_lexicon(lexpath)
    pud = list(load_rows(Path(out) / "pud.tsv"))
    docs = sorted({r[0] for r in pud})
    farasa = examples_of(out, ["farasa"])
    sents = list(pud_sentences(Path(data) / "ud_arabic_pud/ar_pud-ud-test.shared-half.conllu"))
    toks = words_tokens(kalima, [t for _, t, _ in sents])

    def score(weights, keep):
        g = s = c = 0
        for (doc, _, gold), tk in zip(sents, toks):
            if not keep(doc):
                continue
            sy = system_spans(tk, weights, lex)
            g, s, c = g + len(gold), s + len(sy), c + len(gold & sy)
        return g, s, c

    if shipped:
        print(f1_line("shipped model on all sentences (trained on them)", *score(load_model(shipped), lambda d: True)))
    print(f1_line("no split on all sentences", *score(None, lambda d: True)))
    tot = [0, 0, 0]
    per_fold = []
    for k in range(folds):
        test_docs = {d for i, d in enumerate(docs) if i % folds == k}
        tr = [(s, p, e) for d, s, p, e, _ in pud if d not in test_docs] + farasa
        wts = quantize(train(tr, lex))
        g, s, c = score(wts, lambda d: d in test_docs)
        print(f1_line(f"fold {k + 1} ({len(test_docs)} documents held out)", g, s, c))
        tot = [tot[0] + g, tot[1] + s, tot[2] + c]
        per_fold.append(200 * c / (g + s))
    print(f1_line(f"{folds}-fold CV, all held-out words pooled", *tot))
    print(f"mean of the fold F1s: {sum(per_fold) / len(per_fold):.2f}")


def main():
    cmd = sys.argv[1]
    if cmd == "convert":
        convert(sys.argv[2], sys.argv[3])
    elif cmd == "lexicon":
        make_lexicon(sys.argv[2], sys.argv[3])
    elif cmd == "train":
        out, lexpath, model = sys.argv[2], sys.argv[3], sys.argv[4]
        sources = sys.argv[5:] or ["pud", "farasa"]
        lex = load_lexicon(lexpath)
        save_model(train(examples_of(out, sources), lex), model)
    elif cmd == "cv":
        cv(sys.argv[2], sys.argv[3])
    elif cmd == "cv-all":
        cv_all(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6] if len(sys.argv) > 6 else None)
    elif cmd == "training-keys":
        training_keys(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
