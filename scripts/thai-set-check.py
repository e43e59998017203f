#!/usr/bin/env python3
"""Checks a new set of marked Thai test titles against every earlier set, before it is
committed and held out (tests/thai_breaks.rs judges the breaker on titles it was not
built from: a set must not repeat what the breaker was tuned on).

Usage: scripts/thai-set-check.py NEW_SET.txt

Prints, for each token of the new set that no word list has (the word list, the
transliterations, the place names and the words found in running text):
- SEEN: an earlier set holds it, as one token or as two or three marked tokens joined
  (`ซาวด์|บาร์` seen is `ซาวด์บาร์` seen);
- NEAR: an earlier token of five letters or more is spelt much like it (difflib ratio
  0.72 or more: `คอร์รูทีน` ~ `คอรูทีน`);
- SOUND: an earlier token has the same consonants by sound (`ปิโรชกี` ~ `ปีรอชกี`);
then each title within difflib 0.75 of an earlier one (NEAR TITLE), and each place the
new set marks otherwise than most earlier sets do (MARKING: `ผู้ป่วย` whole where the
earlier sets write `ผู้|ป่วย`). Replace the repeats and variants it finds and mark as
most sets do; a different word merely spelt alike (`วิกเก็ต` near `คริกเก็ต`) and a native
word the lists lack (`วันเสาร์`) may stay. Then commit the set before building anything
against it. Exits 1 when it printed anything.
"""
import collections
import difflib
import glob
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# Consonants that sound alike, mapped to one of them.
SOUNDS = str.maketrans(
    {
        "ข": "ก", "ค": "ก", "ฆ": "ก", "ฉ": "จ", "ช": "จ", "ฌ": "จ", "ศ": "ซ", "ษ": "ซ",
        "ส": "ซ", "ฎ": "ด", "ฏ": "ต", "ฐ": "ท", "ฑ": "ท", "ฒ": "ท", "ถ": "ท", "ธ": "ท",
        "ต": "ท", "ด": "ท", "ภ": "พ", "ผ": "พ", "ฝ": "ฟ", "ณ": "น", "ฬ": "ล", "ร": "ล",
        "ญ": "ย",
    }
)


def skeleton(word):
    """The consonants of `word` by sound, without `อ` and silent letters' marks."""
    return "".join(c for c in word.translate(SOUNDS) if "ก" <= c <= "ฮ" and c != "อ")


def titles(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line.split("|")


def listed_words():
    words = set()
    with open(os.path.join(ROOT, "data/thai-words.tsv"), encoding="utf-8") as f:
        words.update(line.split("\t")[0] for line in f)
    for name in [
        "data/thai-words-extra.txt",
        "data/transliterations/words.txt",
        "data/place-names/names.txt",
        "data/mined-words/words.txt",
    ]:
        with open(os.path.join(ROOT, name), encoding="utf-8") as f:
            words.update(l.strip() for l in f if not l.startswith("#"))
    return words


def main(new):
    listed = listed_words()
    earlier = [
        p
        for p in glob.glob(os.path.join(ROOT, "tests/data/thai-*.txt"))
        if os.path.abspath(p) != os.path.abspath(new)
    ]
    tokens, whole, split, old_titles = set(), collections.Counter(), collections.Counter(), []
    for path in earlier:
        for t in titles(path):
            old_titles.append(("".join(t), os.path.basename(path)))
            whole.update(t)
            for n in (1, 2, 3):
                for i in range(len(t) - n + 1):
                    tokens.add("".join(t[i : i + n]))
                    if n > 1:
                        split["|".join(t[i : i + n])] += 1
    long_tokens = [t for t in tokens if len(t) >= 5]
    by_sound = collections.defaultdict(list)
    for t in long_tokens:
        by_sound[skeleton(t)].append(t)
    split_as = collections.Counter()
    for pieces, n in split.items():
        split_as[pieces.replace("|", "")] += n
    found = 0
    for t in titles(new):
        for token in t:
            if len(token) < 3 or token in listed:
                continue
            notes = []
            if token in tokens:
                notes.append("SEEN")
            near = [w for w in difflib.get_close_matches(token, long_tokens, 3, 0.72) if w != token]
            if near:
                notes.append("NEAR " + ",".join(near))
            sound = [w for w in by_sound.get(skeleton(token), []) if w != token]
            if len(skeleton(token)) >= 4 and sound:
                notes.append("SOUND " + ",".join(sound[:3]))
            if notes:
                found += 1
                print(token, *notes, sep="\t")
        title = "".join(t)
        for old, path in old_titles:
            if difflib.SequenceMatcher(None, title, old).ratio() >= 0.75:
                found += 1
                print("NEAR TITLE", title, old, path, sep="\t")
        for token in t:
            if split_as[token] > whole[token]:
                found += 1
                print("MARKING", token, f"split {split_as[token]}, whole {whole[token]}", sep="\t")
        for n in (2, 3):
            for i in range(len(t) - n + 1):
                pieces = "|".join(t[i : i + n])
                joined = "".join(t[i : i + n])
                if len(joined) >= 3 and whole[joined] > split[pieces]:
                    found += 1
                    print("MARKING", pieces, f"whole {whole[joined]}, split {split[pieces]}", sep="\t")
    return found


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(1 if main(sys.argv[1]) else 0)
