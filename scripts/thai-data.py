#!/usr/bin/env python3
"""Builds data/thai-words.tsv from PyThaiNLP's corpus (CC0-1.0).

    pip download --no-deps pythainlp==5.4.0 -d /tmp/pythainlp
    python3 scripts/thai-data.py /tmp/pythainlp/pythainlp-5.4.0-py3-none-any.whl

thai-words.tsv: `word<TAB>class`, every entry of words_th.txt (plus data/thai-words-extra.txt
and data/transliterations/words.txt) made only of Thai letters, with class =
round(log2(1 + frequency in the Thai National Corpus, tnc_freq.txt)); the segmenter uses
the class only to choose between segmentations with as many unknown characters and words.
"""
import math
import re
import sys
import zipfile
from pathlib import Path

THAI = re.compile(r"^[\u0E01-\u0E4E]+$")
root = Path(__file__).resolve().parent.parent
wheel = zipfile.ZipFile(sys.argv[1])


def corpus(name):
    return wheel.read(f"pythainlp/corpus/{name}").decode("utf-8").splitlines()


freq = {}
for line in corpus("tnc_freq.txt"):
    word, _, n = line.partition("\t")
    if n.strip().isdigit():
        freq[word] = freq.get(word, 0) + int(n)

extra = [l.strip() for l in (root / "data/thai-words-extra.txt").read_text().splitlines()]
# The words of the Thai-English transliteration dictionary (CC-BY 4.0) of two syllables or
# more: data/transliterations/words.txt, which `cargo run --example thai-loanwords` writes.
transliterations = (root / "data/transliterations/words.txt").read_text().splitlines()
words = sorted(
    {w.strip() for w in corpus("words_th.txt") + extra + transliterations if THAI.match(w.strip())}
)
with open(root / "data/thai-words.tsv", "w", encoding="utf-8") as out:
    for w in words:
        out.write(f"{w}\t{round(math.log2(1 + freq.get(w, 0)))}\n")

print(f"{len(words)} words")

# thai-syllables.txt: `syllable<TAB>class`, every entry of syllables_th.txt made only of
# Thai letters, with the corrections of data/thai-syllables-fixes.txt, sorted by byte
# order; class is the syllable's frequency class as a word (as in thai-words.tsv), `-`
# when it is no word on its own (the segmenter's syllable model; see src/render/thai.rs).
syllables = {s.strip() for s in corpus("syllables_th.txt") if THAI.match(s.strip())}
for fix in (root / "data/thai-syllables-fixes.txt").read_text().splitlines():
    if fix.startswith("+"):
        syllables.add(fix[1:].strip())
    elif fix.startswith("-"):
        syllables.discard(fix[1:].strip())
syllables = sorted(syllables, key=lambda s: s.encode("utf-8"))
word_class = {}
for line in (root / "data/thai-words.tsv").read_text(encoding="utf-8").splitlines():
    w, _, c = line.partition("\t")
    word_class[w] = c
(root / "data/thai-syllables.txt").write_text(
    "".join(f"{s}\t{word_class.get(s, '-')}\n" for s in syllables), encoding="utf-8"
)
print(f"{len(syllables)} syllables")
