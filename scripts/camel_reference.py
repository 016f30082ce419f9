#!/usr/bin/env python3
"""Reference fixtures for the `camel` scheme, made by the real CAMeL Tools.

For each selected line writes one JSON object per line:

    {"source": ..., "text": ...,
     "tokens": simple_word_tokenize(text),
     "tokens_split_digits": simple_word_tokenize(text, split_digits=True),
     "normalized": normalize_teh_marbuta_ar(normalize_alef_maksura_ar(
                       normalize_alef_ar(dediac_ar(normalize_unicode(text))))),
     "normalized_tokens": simple_word_tokenize(normalized),
     "unicode": normalize_unicode(text),
     "dediac": dediac_ar(text)}

Default mode writes crates/kalima-text/tests/fixtures/camel/{camel.jsonl.xz,meta.json}
from a seeded, deterministic selection of lines of the shared corpora (../shared/data or
--data), plus hand-written tricky strings and seeded random strings over an alphabet of
troublesome code points. `--big PATH` instead writes a large uncompressed reference file
(for the by-hand run of the ignored test `camel_big_reference` in tests/camel_parity.rs).

Requires Python 3.11 and `pip install --no-deps -r scripts/requirements-camel.txt`.

    python3 scripts/camel_reference.py
    python3 scripts/camel_reference.py --big /tmp/camel_big.jsonl --big-lines 50000
"""

import argparse
import glob
import json
import lzma
import random
import sys
import tarfile
import unicodedata
from importlib import metadata
from pathlib import Path

from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.charsets import EMOJI_MULTICHAR_CHARSET
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "crates/kalima-text/tests/fixtures/camel"
SEED = 20240611

# How many lines to take from each source for the CI fixtures.
COUNTS = {
    "pud": 505,  # all of the shared half
    "ant": 1500,
    "ant_doc": 40,  # whole multi-line <TEXT> blocks
    "saudinewsnet": 1200,
    "quran_uthmani": 100,  # Tanzil: keep small (verbatim-copy licence)
    "quran_simple": 100,
    "wikinews": 300,
    "fuzz": 1500,
}


def normalized(text: str) -> str:
    s = normalize_unicode(text)
    s = dediac_ar(s)
    s = normalize_alef_ar(s)
    s = normalize_alef_maksura_ar(s)
    return normalize_teh_marbuta_ar(s)


def record(source: str, text: str, full: bool = True) -> dict:
    rec = {
        "source": source,
        "text": text,
        "tokens": simple_word_tokenize(text),
        "tokens_split_digits": simple_word_tokenize(text, split_digits=True),
    }
    if full:
        norm = normalized(text)
        rec["normalized"] = norm
        rec["normalized_tokens"] = simple_word_tokenize(norm)
        rec["unicode"] = normalize_unicode(text)
        rec["dediac"] = dediac_ar(text)
    return rec


# ---------------------------------------------------------------- corpora readers


def pud_lines(data: Path):
    for path in sorted(glob.glob(str(data / "ud_arabic_pud/*.conllu"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("# text = "):
                    yield line[len("# text = ") :].rstrip("\n")


def ant_texts(data: Path):
    """The <TEXT> block of every ANT article, in tar order."""
    with tarfile.open(data / "ant_multisource/ant_multisource_v2.1.tar.xz") as tf:
        for m in tf:
            if not (m.isfile() and m.name.endswith(".txt")):
                continue
            doc = tf.extractfile(m).read().decode("utf-8")
            a, b = doc.find("<TEXT>"), doc.find("</TEXT>")
            if a >= 0 and b > a:
                yield doc[a + len("<TEXT>") : b]


def saudinewsnet_texts(data: Path):
    with tarfile.open(data / "saudinewsnet/saudinewsnet_2015.tar.xz") as tf:
        for m in sorted((m for m in tf.getmembers() if m.isfile()), key=lambda m: m.name):
            for art in json.load(tf.extractfile(m)):
                yield art.get("content") or ""


def paragraphs(texts):
    for t in texts:
        for line in t.split("\n"):
            if line.strip():
                yield line


def quran_verses(data: Path, variant: str):
    with open(data / f"tanzil_quran/quran-{variant}.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("|", 2)
            if len(parts) == 3 and parts[0].isdigit():
                yield parts[2]


def wikinews_lines(data: Path):
    with open(data / "farasa_wikinews/WikiNewsTruth.txt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                yield line


def sample(items, k, rng):
    items = list(items)
    if len(items) <= k:
        return items
    idx = sorted(rng.sample(range(len(items)), k))
    return [items[i] for i in idx]


# ---------------------------------------------------------------- hand-written cases

TRICKY = [
    "",
    " ",
    "Hello,    world!!!",
    "Hello,    world123!!!",
    "\t\n\r\x0b\x0c \x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000",
    "a\tb\nc\rd\x0be\x0cf\x1cg\x85h\xa0i\u3000j",
    "نص\u00a0بمسافة\u00a0غير\u00a0منقسمة",
    # emoji: skin tones, ZWJ, flags, keycaps, tags, variation selectors
    "👍🏽👍🏿👍 👋🏻‍ 🏽",
    "👨‍👩‍👧‍👦 👩🏽‍💻 🧑🏿‍🤝‍🧑🏻 👨‍❤️‍💋‍👨 🏳️‍🌈 🏴‍☠️ 🐻‍❄️ ❤️‍🔥 ❤‍🔥",
    "🇸🇦🇪🇬🇦🇪 🇸 🇸🇦🇸 🇺🇳🇺",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏴󠁧󠁢󠁸󠁸󠁿 🏴",
    "1️⃣2️⃣#️⃣*️⃣ 1⃣ #⃣ a1️⃣ ١️⃣ 10️⃣ 1\ufe0f 1\u20e3",
    "©️®️™️ℹ️‼️⁉️〰️〽️ © ® ™ ℹ ‼ ⁉ ℹ️x xℹ️",
    "☺️☺\ufe0e☺ ❤️❤ ✌🏽✌️🏽",
    "\U0001faf7\U0001f3fd \U0001faf7 \U0001fae8 \U0001fa75 🫠 🥹",
    "\u200d👍 👍\u200d 👍\u200d\u200d👍 👨\u200d\u200d👩",
    "🧑‍🧑‍🧒 🧑‍🧑‍🧒‍🧒 🐦‍🔥 🍋‍🟩 🙂‍↔️ 🚶‍➡️ 🚶🏽‍♀️‍➡️",
    "😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘😗☺😚😙🥲",
    # URLs, e-mails, hashtags, mentions
    "https://www.example.com/ar/news/2018/02/18/هكذا-تحالفت.html?x=1&y=٢#frag",
    "راسلنا على info@example.com أو @kalima_bot #عاصي_الحلاني #إليسا",
    "www.alarabiya.net/ar — http://t.co/AbC123 ftp://x.y",
    # mixed scripts and digits
    "قال Smith إن iPhone 15 Pro سيكون متاحا في 2024م.",
    "١٢٣ 1,234.5 ١٬٢٣٤٫٥ ۱۲۳ 12:30 3.14159 -5 +7 50% ٥٠٪ 1/2 ½ ² ³ ¹ Ⅻ ① ⑩ ０１２ 𝟎𝟏𝟐 ༡༢",
    "عام2015م و2015 و٢٠١٥هـ ABC123def ١٢ab٣٤",
    "x²+y³=z¹ 5km² H₂O",
    # Arabic specifics
    "مي\u200cخواهم می‌خواهم خانه‌ها",
    "كتــــــاب ــ ـــبـــ الـ",
    "وَقَالَ الرَّجُلُ: «إِنَّ الْكِتَابَ مُفِيدٌ»؛ أَلَيْسَ كَذَلِكَ؟",
    "إِنَّ ٱللَّهَ لَا يَغْفِرُ أَن يُشْرَكَ بِهِۦ وَيَغْفِرُ مَا دُونَ ذَٰلِكَ ۚ",
    "ﷲ ﷺ ﷼ ﷽ ﷻ ﷹ ﻻ ﻷ ﺍﻟﻌﺮﺑﻴﺔ ﭐ ﻵ",
    # presentation forms whose NFKC holds harakat (space/tatweel + marks) and high hamza
    "\ufe70 \ufe72 \ufe74 \ufe76\ufe77 \ufe78 \ufe7a \ufe7c\ufe7d \ufe7e\ufe7f",
    "\ufc5e\ufc5f\ufc60\ufc61\ufc62\ufc63 \ufcf2\ufcf3\ufcf4 \ufdfa \ufdfb \ufdf2",
    "\u0675 \u0676 \u0677 \u0678 \u0627\u0653 \u0627\u0654 \u0627\u0655 \u0648\u0654 \u064a\u0654 \u06d5\u0654 \u06c1\u0654 \u06d2\u0654",
    "\u0627\u064e\u0653 \u0627\u0651\u0654 \u0649\u0670 \u0629\u064b \u0671\u0670",
    "إلى مستشفى، جامعة، مدرسةٌ، أحمد، آمال، ٱلرحمن، ؤ ئ ء",
    "\u0600\u0601\u0602\u0603\u0604\u0605 \u06dd١ \u08e2 \u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    "\u064e\u0650بداية بعلامة \u0651 \u0670 \u0653\u0654\u0655 \u0656 \u065f \u06e1 \u08f0",
    "ۖ ۗ ۘ ۙ ۚ ۛ ۜ ۞ ۩ ۝ ",
    "؟ ، ؛ ٪ ٫ ٬ ٭ ۔ ؍ ؎ ؏ ؞ ؟",
    # controls, specials
    "a\x00b\x01c\x7fd\x80e\x9ff",
    "\ufffd\ufffd رمز\ufffdبديل \ufeffBOM",
    "\ue000\uf8ff\U000f0000\U0010fffd private \uffff\ufffe \U0010ffff \u0378 \U000e0001",
    "soft\xadhyphen zero\u200bwidth word\u2060joiner",
    "\u0301\u0301 start with combining e\u0301 ñ n\u0303 Å A\u030a",
    "ﬁ ﬂ ﬀ ㎏ ㎞ ™ № ℃ Ⅳ ⅷ ＡＢＣ ｱｲｳ",
    # other scripts
    "中文分词测试：你好，世界！日本語のテキスト。한국어 텍스트입니다.",
    "हिन्दी भाषा का पाठ। क्षत्रिय ज्ञान",
    "Ελληνικά κείμενο; Русский текст — «ёлка».",
    "עברית: שָׁלוֹם עוֹלָם! ܫܠܡܐ ދިވެހި ߒߞߏ",
    "ไทย ภาษาไทย ລາວ ខ្មែរ မြန်မာ",
    # math and symbols
    "∑∫∞≠≤≥±×÷√∂∆∇∈∉∩∪⊂⊃ ∀x∃y: f(x)=y",
    "$100 €50 £3 ¥7 ₹9 ﷼ ₪ ₺ ¢ ¤ ₿",
    "<html> &amp; [a] {b} (c) |d| \\e /f `g` ~h ^i _j_ 'k' \"l\"",
    "…‥‧ ‘quote’ “double” „low“ ‹›«» ‐‑‒–—― • · ・",
    "§¶†‡※⁂ ° ′ ″ ‰ ‱ ⁄",
    "_underscore_ snake_case __init__ kebab-case a.b.c",
    # repetition and edge structure
    "!!!!!!!!!!",
    "...؟؟؟!!!،،،",
    "كلمة" * 20,
    "1" * 50,
    "\n\n\n",
    " leading and trailing spaces  ",
]


def fuzz_strings(n: int, rng: random.Random):
    """Seeded random strings over troublesome code points and emoji pieces."""
    singles = (
        list("abcXYZ019#*-_.,:;!?()[]'\"/\\@%&+= \t\n")
        + [chr(c) for c in range(0x0621, 0x064B)]
        + [chr(c) for c in range(0x064B, 0x0660)]
        + [chr(c) for c in range(0x0660, 0x066E)]
        + [chr(c) for c in range(0x06D4, 0x06EE)]
        + [chr(c) for c in range(0x06F0, 0x06FA)]
        + [chr(c) for c in range(0x0600, 0x0606)]
        + list("\u0640\u0670\u0671\u061f\u060c\u061b\u066a\u066b\u066c\u061c\u08e2\u08f0")
        + list("\u200b\u200c\u200d\u200e\u200f\u2066\u2069\ufeff\xad\xa0\u3000\u2028\x85")
        + list("\ufe0f\ufe0e\u20e3\u0301\u0300\u0308\u093f\u094d")
        + [chr(c) for c in range(0x1F3FB, 0x1F400)]
        + [chr(c) for c in (0xE0020, 0xE0067, 0xE0062, 0xE007F, 0xE0001)]
        + [chr(c) for c in range(0x1F1E6, 0x1F200, 3)]
        + list("👍👨👩👧🧑❤☺✌©®™ℹ‼⁉〰〽🏳🏴☠♀♂➡🔥💋🤝")
        + [chr(c) for c in (0x1FAF7, 0x1FAF8, 0x1FAE8, 0x1FA75, 0x1F6DC, 0x1FAF0)]
        + list("\x00\x01\x1f\x7f\x80\x9f\ufffd\uffff\ue000\U0010ffff\u0378\U000f0000")
        + list("ﷲﷺ﷼﷽ﻻﺍ²½Ⅻ①０𝟎¹₂ﬁ㎏Å")
        + list("中文한국ह्िαβ")
        + list("∑∞≠$€£¥₹")
    )
    seqs = sorted(EMOJI_MULTICHAR_CHARSET)
    out = []
    for _ in range(n):
        length = rng.randint(1, 30)
        parts = []
        for _ in range(length):
            r = rng.random()
            if r < 0.12:
                parts.append(rng.choice(seqs))
            elif r < 0.16:
                s = rng.choice(seqs)  # a broken piece of a sequence
                i = rng.randint(0, len(s))
                parts.append(s[:i] if rng.random() < 0.5 else s[i:])
            else:
                parts.append(rng.choice(singles))
        out.append("".join(parts))
    return out


def random_codepoint_strings(n: int, rng: random.Random):
    """Strings of code points drawn from the whole range (no surrogates)."""
    out = []
    for _ in range(n):
        cps = []
        for _ in range(rng.randint(1, 40)):
            while True:
                c = rng.randrange(0x110000) if rng.random() < 0.5 else rng.randrange(0x30000)
                if not 0xD800 <= c <= 0xDFFF:
                    break
            cps.append(chr(c))
        out.append("".join(cps))
    return out


# ---------------------------------------------------------------- main


def versions() -> dict:
    return {
        "camel_tools": metadata.version("camel-tools"),
        "emoji": metadata.version("emoji"),
        "python": sys.version.split()[0],
        "unicodedata": unicodedata.unidata_version,
    }


def fixture_records(data: Path):
    rng = random.Random(SEED)
    recs = [record("tricky", t) for t in TRICKY]
    recs += [record("pud", t) for t in sample(pud_lines(data), COUNTS["pud"], rng)]
    ant = list(ant_texts(data))
    recs += [record("ant", t) for t in sample(paragraphs(ant), COUNTS["ant"], rng)]
    recs += [record("ant_doc", t) for t in sample(ant, COUNTS["ant_doc"], rng)]
    snn = paragraphs(saudinewsnet_texts(data))
    recs += [record("saudinewsnet", t) for t in sample(snn, COUNTS["saudinewsnet"], rng)]
    for variant in ("uthmani", "simple"):
        key = f"quran_{variant}"
        verses = sample(quran_verses(data, variant), COUNTS[key], rng)
        recs += [record(key, t) for t in verses]
    recs += [record("wikinews", t) for t in sample(wikinews_lines(data), COUNTS["wikinews"], rng)]
    recs += [record("fuzz", t) for t in fuzz_strings(COUNTS["fuzz"], rng)]
    recs += [record("fuzz_codepoints", t) for t in random_codepoint_strings(300, rng)]
    return recs


def big_records(data: Path, n: int):
    """About n real lines (ANT, SaudiNewsNet, PUD, WikiNews, all Quran variants) plus
    every code point once (in chunks) and random strings; tokens only."""
    rng = random.Random(SEED + 1)
    lines = list(pud_lines(data)) + list(wikinews_lines(data))
    for variant in ("uthmani", "simple", "simple-plain", "simple-min", "uthmani-min"):
        lines += list(quran_verses(data, variant))
    rest = max(0, n - len(lines))
    lines += sample(paragraphs(ant_texts(data)), rest // 2, rng)
    lines += sample(paragraphs(saudinewsnet_texts(data)), rest - rest // 2, rng)
    for t in lines:
        yield record("big", t, full=True)
    for start in range(0, 0x110000, 512):
        cps = [chr(c) for c in range(start, start + 512) if not 0xD800 <= c <= 0xDFFF]
        if cps:
            yield record("all_codepoints", "".join(cps), full=True)
    for t in fuzz_strings(5000, rng):
        yield record("fuzz", t, full=True)
    for t in random_codepoint_strings(5000, rng):
        yield record("fuzz_codepoints", t, full=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data")
    ap.add_argument("--out", type=Path, default=FIXTURES)
    ap.add_argument("--big", type=Path, help="write a big reference JSONL here instead")
    ap.add_argument("--big-lines", type=int, default=50000)
    args = ap.parse_args()

    if args.big:
        n = 0
        with open(args.big, "w", encoding="utf-8") as f:
            for rec in big_records(args.data, args.big_lines):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        print(f"wrote {n} records to {args.big}", file=sys.stderr)
        return 0

    recs = fixture_records(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode("utf-8")
    with open(args.out / "camel.jsonl.xz", "wb") as f:
        # Fixed preset and no timestamps: the same input gives the same bytes.
        f.write(lzma.compress(body, preset=9 | lzma.PRESET_EXTREME))
    counts = {}
    for r in recs:
        counts[r["source"]] = counts.get(r["source"], 0) + 1
    meta = {
        "generator": "scripts/camel_reference.py",
        "seed": SEED,
        "versions": versions(),
        "records": len(recs),
        "tokens": sum(len(r["tokens"]) for r in recs),
        "tokens_split_digits": sum(len(r["tokens_split_digits"]) for r in recs),
        "by_source": counts,
        "uncompressed_bytes": len(body),
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
