#!/usr/bin/env python3
"""Builds data/katakana-words/words.txt from SudachiDict's small dictionary (Apache-2.0).

    pip download --no-deps sudachidict_small==20261015 -d /tmp/sudachi
    python3 scripts/katakana-words.py /tmp/sudachi/sudachidict_small-20261015-py3-none-any.whl \
        > data/katakana-words/words.txt

The wheel holds one compiled dictionary, `sudachidict_small/resources/system.dic`
("SudachiBinaryDic" version 1): a header, then a table of named sections. This reads three
of them: `TrieIndex` (a double-array trie from each headword's UTF-8 bytes to a place in
`WordPointers`), `WordPointers` (at that place, how many entries the headword has, then their
ids, each a LEB128 varint added to the one before) and `Entries` (an entry at 8 × its id:
left and right connection ids, u16 each, then the word's cost, i16, all little-endian),
and from `ConnMatrix` the cost of one common noun following another.

Output: a header `#<TAB>connection<TAB>longest` (the cost of one common noun after another,
the longest word in characters), then every headword of two or more
characters made only of katakana (with ー), `word<TAB>cost` (its lowest entry's cost), sorted
by the word's bytes.
"""
import struct
import sys
import zipfile

data = zipfile.ZipFile(sys.argv[1]).read("sudachidict_small/resources/system.dic")
assert data.startswith(b"SudachiBinaryDic"), "not a Sudachi binary dictionary"


def varint(at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


# The section table: a count, then each section's name (a length byte and the name),
# offset and size (varints). It follows the header's description strings.
at = data.index(b"\nConnMatrix") - 1
count, at = data[at], at + 1
sections = {}
for _ in range(count):
    length = data[at]
    name = data[at + 1 : at + 1 + length].decode()
    offset, at = varint(at + 1 + length)
    size, at = varint(at)
    sections[name] = (offset, size)

trie_at, trie_size = sections["TrieIndex"]
units = struct.unpack_from(f"<{trie_size // 4}I", data, trie_at)
pointers_at = sections["WordPointers"][0]
entries_at = sections["Entries"][0]


def unit_offset(unit):
    return (unit >> 10) << ((unit & (1 << 9)) >> 6)


def unit_label(unit):
    return unit & ((1 << 31) | 0xFF)


# Katakana in UTF-8: E3 82 A1..BF, E3 83 80..BA (ァ..ヺ) and E3 83 BC (ー). The walk
# follows only bytes that keep a key katakana.
def allowed(key, byte):
    step = len(key) % 3
    if step == 0:
        return byte == 0xE3
    if step == 1:
        return byte in (0x82, 0x83)
    if key[-1] == 0x82:
        return 0xA1 <= byte <= 0xBF
    return 0x80 <= byte <= 0xBA or byte == 0xBC


def lowest(pointer):
    """The headword's entry of lowest cost: (cost, left id, right id)."""
    at = pointers_at + pointer
    count = data[at]
    at += 1
    word_id, best = 0, None
    for _ in range(count):
        delta, at = varint(at)
        word_id += delta
        left, right, cost = struct.unpack_from("<HHh", data, entries_at + 8 * word_id)
        if best is None or cost < best[0]:
            best = (cost, left, right)
    return best


words = {}
stack = [(0, b"")]
while stack:
    index, key = stack.pop()
    unit = units[index]
    base = index ^ unit_offset(unit)
    if (unit >> 8) & 1 and len(key) % 3 == 0 and key:
        words[key.decode()] = lowest(units[base] & 0x7FFFFFFF)
    for byte in range(1, 256):
        child = base ^ byte
        if child < len(units) and unit_label(units[child]) == byte and allowed(key, byte):
            stack.append((child, key + bytes([byte])))

# The cost of one common noun (as `データ` is) after another: the matrix, after its two
# sizes (i16), holds the cost of each pair, the left id of the second varying slowest.
matrix_at = sections["ConnMatrix"][0]
left_size, right_size = struct.unpack_from("<hh", data, matrix_at)
_, left, right = words["データ"]
(connection,) = struct.unpack_from("<h", data, matrix_at + 4 + 2 * (right + left * left_size))

kept = sorted((w for w in words if len(w) >= 2), key=lambda w: w.encode())
print(f"#\t{connection}\t{max(len(w) for w in kept)}")
for word in kept:
    print(f"{word}\t{words[word][0]}")
