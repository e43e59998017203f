"""Signed ogcard URLs from Python: the same string `ogcard sign` prints, standard library
only (Python >= 3.8). Written for ogcard; MIT or Apache-2.0, as you like.

    from sign import signed_og_url
    url = signed_og_url("https://cards.example.com",
                        {"title": "การปฏิวัติแบบโอเพนซอร์สของ DeepSeek", "site": "blog.example.com"},
                        os.environ["OGCARD_SIGNING_KEY"])
    # → https://cards.example.com/api/og?site=blog.example.com&title=%E0%B8%81…&sig=3f1c…

`params` is a dict, a list of (name, value) pairs (the last of a repeated name wins, as on
the server), or a raw query string as a blog writes it (`title=การ%20AI&site=…`). The
signature covers the canonical query the server checks: the parameters it knows,
decoded, their text normalised as the server normalises it, sorted by name and
percent-encoded; anything else is left out of the URL.
"""

import hashlib
import hmac
import re
import unicodedata
from urllib.parse import unquote_to_bytes

__all__ = ["signed_og_url", "signedOgUrl", "canonical_query", "normalize"]

# The parameters /api/og knows, in canonical (sorted) order.
KNOWN = ["accent", "author", "avatar", "date", "debug", "description", "dpr", "format", "image",
         "lang", "logo", "quality", "site", "size", "tags", "template", "theme", "title"]
TEXT = {"title", "site", "description", "author", "date", "tags"}

MAX_MARKS_PER_BASE = 8
MAX_TAGS_IN_SEQUENCE = 7
WHITE_SPACE = set("\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)}
DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


def signed_og_url(base, params, key):
    """`{base}/api/og?{canonical}&sig={hex HMAC-SHA256 of canonical}`."""
    canonical = canonical_query(params)
    sig = hmac.new(key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    query = f"sig={sig}" if canonical == "" else f"{canonical}&sig={sig}"
    return f"{base.rstrip('/')}/api/og?{query}"


# The JavaScript helper's name, for code that calls both.
signedOgUrl = signed_og_url


def canonical_query(params):
    """The canonical query of `params` (what the signature covers)."""
    values = {}
    for name, value in _pairs(params):
        if name in KNOWN:
            values[name] = normalize(value) if name in TEXT else value
    return "&".join(f"{n}={_encode(values[n])}" for n in KNOWN if n in values)


def _pairs(params):
    if isinstance(params, str):
        out = []
        for pair in params.lstrip("?").split("&"):
            if pair:
                name, _, value = pair.partition("=")
                out.append((_decode(name), _decode(value)))
        return out
    if isinstance(params, dict):
        return [(n, str(v)) for n, v in params.items()]
    return [(n, str(v)) for n, v in params]


def _decode(raw):
    # `+` is a space, `%XX` a byte (a malformed one is kept as is), the bytes strict UTF-8:
    # what the server answers 400 to raises UnicodeDecodeError here.
    return unquote_to_bytes(raw.replace("+", " ")).decode("utf-8")


def _encode(value):
    unreserved = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    return "".join(chr(b) if b in unreserved else f"%{b:02X}" for b in value.encode("utf-8"))


def normalize(raw):
    """The server's text normalisation (src/request.rs `normalize`): NFC; white space runs
    become one space, trimmed; control characters, noncharacters and default-ignorables
    dropped, except ZWSP/ZWNJ/ZWJ (one, between two visible characters), a variation
    selector right after a visible character, and emoji tags after 🏴; at most 8 marks on
    a base."""
    out = []
    pending_space = False
    pending_joiner = None
    marks = 0
    last = "nothing"  # "visible" | "mark" | "selector" | an int (tags after 🏴)
    for c in unicodedata.normalize("NFC", raw):
        u = ord(c)
        if c in WHITE_SPACE:
            pending_space = bool(out)
            pending_joiner = None
            marks = 0
            last = "nothing"
            continue
        if u <= 0x1F or 0x7F <= u <= 0x9F or 0xFDD0 <= u <= 0xFDEF or u & 0xFFFE == 0xFFFE:
            continue
        if 0x200B <= u <= 0x200D:
            if last != "nothing" and pending_joiner is None:
                pending_joiner = c
            continue
        if 0xFE00 <= u <= 0xFE0F or 0xE0100 <= u <= 0xE01EF or 0x180B <= u <= 0x180D or u == 0x180F:
            if last in ("visible", "mark") and pending_joiner is None:
                out.append(c)
                last = "selector"
            continue
        if 0xE0020 <= u <= 0xE007F:
            if isinstance(last, int) and last < MAX_TAGS_IN_SEQUENCE and pending_joiner is None:
                out.append(c)
                last = "selector" if u == 0xE007F else last + 1
            continue
        if DEFAULT_IGNORABLE.match(c):
            continue
        if unicodedata.category(c).startswith("M"):
            marks += 1
            if marks > MAX_MARKS_PER_BASE:
                continue
        else:
            marks = 0
        if pending_space:
            out.append(" ")
            pending_space = False
        if pending_joiner is not None:
            out.append(pending_joiner)
            pending_joiner = None
        out.append(c)
        last = 0 if u == 0x1F3F4 else ("mark" if marks > 0 else "visible")
    return "".join(out)
