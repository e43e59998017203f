#!/usr/bin/env python3
"""Finds Thai words no list has (loanwords, names) in running text, for
data/mined-words/words.txt.

Usage: thai-mined-words.py BREAKS_OUTPUT RUNS_TSV > data/mined-words/words.txt
       thai-mined-words.py --runs CORPUS_FILE... > runs.tsv

First `--runs` cuts the corpora into Thai runs (Thai letters only; `ๆ` and `ฯ` end a run,
as spaces do; the decomposed `ํา` is written `ำ`), counted: `count<TAB>run`, sorted by run. Then
`cut -f2 runs.tsv | cargo run --release --example breaks > breaks.txt` marks each run's
syllables and the stretches no word covers (`[…]`), *built with an empty words.txt* (the
words found before would cover their own stretches). Last, this script reads both.

A candidate is a run of one to eight syllables that covers a stretch no word covers, and
up to two syllables either side of it. It is kept when it stands in three distinct runs
or more, after at least two distinct syllables and before at least two (a run's edge
counts as two): a word stands in many contexts, a piece of a longer word in few
(accessor variety). Of two kept candidates one inside the other, the shorter goes when
the longer stands in 80 % of its runs or more (`ธิเบศร` inside `ชนกาธิเบศร`), and the
longer goes when the shorter stands in twice its runs or more (a word with a neighbour
glued to it). Written out: candidates of two syllables or more, with no one-letter
syllable at an edge (text cut short: `ความส`), no function word at an edge (`กับนายคริส`)
and no `เเ` (`แ` mistyped), none a listed word or place name.
"""
import collections
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MARKS = set("|¦0123456789·[]")

# Function words that begin or end no loanword or name (`นาย`, `กับ`, `และ`).
LEADING = ["นางสาว", "นาย", "นาง", "กับ", "และ", "ของ", "จาก", "ที่", "ซึ่ง", "ให้", "โดย",
           "เพื่อ", "ด้วย", "ใน", "ได้"]
DOMINANT = 0.5
TRAILING = ["และ", "กับ", "ที่", "ของ", "ได้", "ให้", "ก็", "จะ", "ใน", "ว่า"]


def runs(paths):
    """Counted Thai runs of the files at `paths`."""
    letters = re.compile("[\u0e01-\u0e2e\u0e30-\u0e45\u0e47-\u0e4e]{2,}")
    counts = collections.Counter()
    for path in paths:
        with open(path, encoding="utf-8", errors="ignore") as f:
            for line in f:
                counts.update(letters.findall(line.replace("\u0e4d\u0e32", "\u0e33")))
    # Sorted: what is kept does not hang on the order the files were read in.
    for run, n in sorted(counts.items()):
        print(f"{n}\t{run}")


def syllables(marked):
    """The syllables of a line of the breaks example's output, and whether each lies in a
    stretch no word covers."""
    out, unknown, cur, inside, cur_unknown = [], [], "", False, False
    for ch in marked:
        if ch in MARKS:
            if cur:
                out.append(cur)
                unknown.append(cur_unknown)
                cur = ""
            inside = {"[": True, "]": False}.get(ch, inside)
            continue
        if not cur:
            cur_unknown = inside
        cur += ch
        cur_unknown = cur_unknown or inside
    if cur:
        out.append(cur)
        unknown.append(cur_unknown)
    return out, unknown


def mine(breaks_path, runs_path):
    with open(runs_path, encoding="utf-8") as f:
        expected = [line.rstrip("\n").split("\t")[1] for line in f]
    df = collections.Counter()
    left, right = collections.defaultdict(collections.Counter), collections.defaultdict(collections.Counter)
    edge_left, edge_right = collections.Counter(), collections.Counter()
    parts = {}
    with open(breaks_path, encoding="utf-8") as f:
        for at, line in enumerate(f):
            line = line.rstrip("\n")
            syl, unknown = syllables(line)
            if "".join(syl) != expected[at]:
                sys.exit(f"line {at + 1} of {breaks_path} is not run {expected[at]}")
            if "[" not in line:
                continue
            n, seen, a = len(syl), set(), 0
            while a < n:
                if not unknown[a]:
                    a += 1
                    continue
                b = a
                while b < n and unknown[b]:
                    b += 1
                for i in range(max(0, a - 2), a + 1):
                    for j in range(b, min(n, b + 2) + 1):
                        if not 1 <= j - i <= 8:
                            continue
                        word = "".join(syl[i:j])
                        if word in seen:
                            continue
                        seen.add(word)
                        df[word] += 1
                        parts.setdefault(word, tuple(syl[i:j]))
                        if i == 0:
                            edge_left[word] += 1
                        else:
                            left[word][syl[i - 1]] += 1
                        if j == n:
                            edge_right[word] += 1
                        else:
                            right[word][syl[j]] += 1
                a = b
    variety = lambda ctx, edge: len(ctx) + min(edge, 2)
    # No one neighbour stands beside it in half its runs or more: a piece of a longer
    # word has the rest of that word beside it (`เจี้ยน` after `ดัน`).
    spread = lambda ctx, n: not ctx or max(ctx.values()) < DOMINANT * n
    found = {
        w
        for w, n in df.items()
        if n >= 3
        and variety(left[w], edge_left[w]) >= 2
        and variety(right[w], edge_right[w]) >= 2
        and spread(left[w], n)
        and spread(right[w], n)
    }
    dropped = set()
    for w in found:
        p = parts[w]
        for i in range(len(p)):
            for j in range(i + 1, len(p) + 1):
                inner = "".join(p[i:j])
                if (i, j) == (0, len(p)) or inner not in found:
                    continue
                if df[w] >= 0.8 * df[inner]:
                    dropped.add(inner)
                if df[inner] >= 2 * df[w]:
                    dropped.add(w)
    # A syllable of one letter at an edge is text cut short (`ความส`); a function word
    # at an edge is a neighbour glued on (`กับนายคริส`, `ภรณ์และ`); `เเ` is `แ` mistyped.
    lone = lambda s: len(s) == 1
    glued = lambda w: any(
        (w.startswith(f) and len(w) - len(f) >= 2) for f in LEADING
    ) or any((w.endswith(f) and len(w) - len(f) >= 2) for f in TRAILING)
    # The words the segmenter already has: `words.txt` holds none of them.
    listed = set()
    for name in ["data/thai-words.tsv", "data/place-names/names.txt"]:
        with open(os.path.join(ROOT, name), encoding="utf-8") as f:
            listed.update(line.rstrip("\n").split("\t")[0] for line in f)
    for w in sorted(found - dropped - listed):
        p = parts[w]
        if len(p) >= 2 and not lone(p[0]) and not lone(p[-1]) and not glued(w) and "เเ" not in w:
            print(w)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--runs"]:
        runs(sys.argv[2:])
    elif len(sys.argv) == 3:
        mine(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
