#!/usr/bin/env python3
"""Writes data/chinese-words/words.txt and t2s.txt from HanLP's dictionaries.

Usage: scripts/chinese-words.py HANLP_CHECKOUT
where HANLP_CHECKOUT is a checkout of github.com/hankcs/HanLP at branch 1.x
(commit dadd5c76a53eb05cc84720628b89e4a334d5d753 for the files committed here).

words.txt: the entries of data/dictionary/CoreNatureDictionary.txt and
data/dictionary/custom/现代汉语补充词库.txt made only of Han ideographs, each with the
sum of its part-of-speech counts (the core dictionary's count where both list a word),
sorted by their UTF-8 bytes, after a header `#<TAB>total<TAB>longest`.
t2s.txt: the one-character-to-one-character entries of data/dictionary/tc/t2s.txt.
"""
import os
import re
import sys

HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")


def counts(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = re.split(r"[\t ]", line.rstrip("\n"))
            word = parts[0]
            if not HAN.match(word) or len(parts) < 3:
                continue
            try:
                count = sum(int(x) for x in parts[2::2])
            except ValueError:
                continue
            out[word] = out.get(word, 0) + count
    return out


def main(root):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "chinese-words")
    dictionary = os.path.join(root, "data", "dictionary")
    words = counts(os.path.join(dictionary, "custom", "现代汉语补充词库.txt"))
    words.update(counts(os.path.join(dictionary, "CoreNatureDictionary.txt")))
    words = {w: max(c, 1) for w, c in words.items()}
    ordered = sorted(words, key=lambda w: w.encode("utf-8"))
    with open(os.path.join(here, "words.txt"), "w", encoding="utf-8") as f:
        f.write(f"#\t{sum(words.values())}\t{max(len(w) for w in words)}\n")
        for w in ordered:
            f.write(f"{w}\t{words[w]}\n")
    pairs = set()
    with open(os.path.join(dictionary, "tc", "t2s.txt"), encoding="utf-8") as f:
        for line in f:
            t, _, s = line.rstrip("\n").partition("=")
            if len(t) == 1 and len(s) == 1 and t != s:
                pairs.add((t, s))
    with open(os.path.join(here, "t2s.txt"), "w", encoding="utf-8") as f:
        for t, s in sorted(pairs):
            f.write(f"{t}\t{s}\n")


if __name__ == "__main__":
    main(sys.argv[1])
