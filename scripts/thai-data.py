#!/usr/bin/env python3
"""Builds data/thai-words.tsv from PyThaiNLP's corpus (CC0-1.0).

    pip download --no-deps pythainlp==5.4.0 -d /tmp/pythainlp
    python3 scripts/thai-data.py /tmp/pythainlp/pythainlp-5.4.0-py3-none-any.whl

thai-words.tsv: `word<TAB>class`, every entry of words_th.txt (plus data/thai-words-extra.txt)
made only of Thai letters, with class = round(log2(1 + frequency in the Thai National
Corpus, tnc_freq.txt)); the segmenter uses it only to choose between segmentations with the
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
words = sorted({w.strip() for w in corpus("words_th.txt") + extra if THAI.match(w.strip())})
with open(root / "data/thai-words.tsv", "w", encoding="utf-8") as out:
    for w in words:
        out.write(f"{w}\t{round(math.log2(1 + freq.get(w, 0)))}\n")

print(f"{len(words)} words")
