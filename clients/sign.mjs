// Signed ogcard URLs from JavaScript: the same string `ogcard sign` prints, on WebCrypto
// (Node ≥ 18, Deno, Bun, browsers, edge runtimes), no dependencies. Written for ogcard;
// MIT or Apache-2.0, as you like.
//
//   import { signedOgUrl } from "./sign.mjs";
//   const url = await signedOgUrl("https://cards.example.com",
//     { title: "การปฏิวัติแบบโอเพนซอร์สของ DeepSeek", site: "blog.example.com" },
//     process.env.OGCARD_SIGNING_KEY);
//   // → https://cards.example.com/api/og?site=blog.example.com&title=%E0%B8%81…&sig=3f1c…
//
// `params` is an object, a URLSearchParams, an array of [name, value] pairs (the last of
// a repeated name wins, as on the server), or a raw query string as a blog writes it
// (`title=การ%20AI&site=…`). The signature covers the canonical query the server checks:
// the parameters it knows, decoded, their text normalised as the server normalises it,
// sorted by name and percent-encoded; anything else is left out of the URL.

/** The parameters /api/og knows, in canonical (sorted) order. */
const KNOWN = [
  "accent", "author", "avatar", "date", "debug", "description", "dpr", "format", "image", "lang", "logo",
  "quality", "site", "size", "tags", "template", "theme", "title",
];
const TEXT = new Set(["title", "site", "description", "author", "date", "tags"]);

/**
 * `${base}/api/og?${canonical}&sig=${hex HMAC-SHA256 of canonical}`.
 * @param {string} base where the service is reachable, e.g. "https://cards.example.com"
 * @param {Record<string,string> | URLSearchParams | [string,string][] | string} params
 * @param {string} key the signing key (OGCARD_SIGNING_KEY)
 * @returns {Promise<string>}
 */
export async function signedOgUrl(base, params, key) {
  const canonical = canonicalQuery(params);
  const sig = await hmacHex(key, canonical);
  const query = canonical === "" ? `sig=${sig}` : `${canonical}&sig=${sig}`;
  return `${base.replace(/\/+$/, "")}/api/og?${query}`;
}

/** The canonical query of `params` (what the signature covers). */
export function canonicalQuery(params) {
  const values = new Map();
  for (const [name, value] of pairs(params)) {
    if (KNOWN.includes(name)) values.set(name, TEXT.has(name) ? normalize(value) : value);
  }
  return KNOWN.filter((n) => values.has(n))
    .map((n) => `${n}=${encode(values.get(n))}`)
    .join("&");
}

function pairs(params) {
  if (typeof params === "string") {
    return params
      .replace(/^\?/, "")
      .split("&")
      .filter((p) => p !== "")
      .map((p) => {
        const at = p.indexOf("=");
        return at < 0 ? [decode(p), ""] : [decode(p.slice(0, at)), decode(p.slice(at + 1))];
      });
  }
  if (params instanceof URLSearchParams || Array.isArray(params)) return [...params];
  return Object.entries(params).map(([n, v]) => [n, String(v)]);
}

/** Form decoding as the server does it: `+` is a space, `%XX` a byte, the bytes UTF-8. */
function decode(raw) {
  const bytes = [];
  const text = new TextEncoder().encode(raw.replace(/\+/g, " "));
  for (let i = 0; i < text.length; i++) {
    const hex = String.fromCharCode(text[i + 1] ?? 0, text[i + 2] ?? 0);
    if (text[i] === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text[i]);
    }
  }
  // Throws on bytes that are not UTF-8, where the server answers 400.
  return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
}

/** `%XX` (upper case) for every byte but RFC 3986's unreserved characters. */
function encode(value) {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

const WHITE_SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;
const DEFAULT_IGNORABLE =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]/u;
const MAX_MARKS_PER_BASE = 8;
const MAX_TAGS_IN_SEQUENCE = 7;

/**
 * The server's text normalisation (src/request.rs `normalize`): NFC; white space runs
 * become one space, trimmed; control characters, noncharacters and default-ignorables
 * dropped, except ZWSP/ZWNJ/ZWJ (one, between two visible characters), a variation
 * selector right after a visible character, and emoji tags after 🏴; at most 8 marks on
 * a base.
 */
export function normalize(raw) {
  let out = "";
  let pendingSpace = false;
  let pendingJoiner = null;
  let marks = 0;
  let last = "nothing"; // "visible" | "mark" | "selector" | number (tags after 🏴)
  for (const c of raw.normalize("NFC")) {
    const u = c.codePointAt(0);
    if (WHITE_SPACE.test(c)) {
      pendingSpace = out !== "";
      pendingJoiner = null;
      marks = 0;
      last = "nothing";
      continue;
    }
    if (u <= 0x1f || (u >= 0x7f && u <= 0x9f) || (u >= 0xfdd0 && u <= 0xfdef) || (u & 0xfffe) === 0xfffe) {
      continue;
    }
    if (u >= 0x200b && u <= 0x200d) {
      if (last !== "nothing" && pendingJoiner === null) pendingJoiner = c;
      continue;
    }
    if ((u >= 0xfe00 && u <= 0xfe0f) || (u >= 0xe0100 && u <= 0xe01ef) || (u >= 0x180b && u <= 0x180d) || u === 0x180f) {
      if ((last === "visible" || last === "mark") && pendingJoiner === null) {
        out += c;
        last = "selector";
      }
      continue;
    }
    if (u >= 0xe0020 && u <= 0xe007f) {
      if (typeof last === "number" && last < MAX_TAGS_IN_SEQUENCE && pendingJoiner === null) {
        out += c;
        last = u === 0xe007f ? "selector" : last + 1;
      }
      continue;
    }
    if (DEFAULT_IGNORABLE.test(c)) continue;
    if (/\p{M}/u.test(c)) {
      marks++;
      if (marks > MAX_MARKS_PER_BASE) continue;
    } else {
      marks = 0;
    }
    if (pendingSpace) {
      out += " ";
      pendingSpace = false;
    }
    if (pendingJoiner !== null) {
      out += pendingJoiner;
      pendingJoiner = null;
    }
    out += c;
    last = u === 0x1f3f4 ? 0 : marks > 0 ? "mark" : "visible";
  }
  return out;
}

async function hmacHex(key, message) {
  const enc = new TextEncoder();
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(message)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}
