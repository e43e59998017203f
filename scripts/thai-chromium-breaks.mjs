// Where Chromium breaks the lines of marked Thai titles (tests/data/thai-*.txt: `|` between
// words, `·` between syllables), for comparison with tests/thai_breaks.rs: each title is set
// with the bundled Noto Sans Thai (lang=th) at 36 px bold and 56 px regular, as the narrow
// test column does, in boxes 1040, 700, 560, 420 and 300 px wide, and a line break is
// counted as splitting a word when it falls between two Thai letters where the title has no
// `|` and that word alone fits the box. Needs Debian's chromium and
// `npm ci` in tests/browser.
//
//   node scripts/thai-chromium-breaks.mjs tests/data/thai-loanwords-heldout.txt
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { lineStarts, oneLineWidth } from "./chromium-lines.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "tests/browser/package.json"));
const { chromium } = require("playwright-core");

const marked = readFileSync(process.argv[2], "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"));
const font = (file) => pathToFileURL(join(root, "fonts", file)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
await page.setContent(`<!doctype html><html lang="th"><meta charset="utf-8"><style>
@font-face{font-family:T;font-weight:700;src:url("${font("NotoSansThai-Bold.ttf")}")}
@font-face{font-family:T;font-weight:400;src:url("${font("NotoSansThai-Regular.ttf")}")}
@font-face{font-family:L;font-weight:700;src:url("${font("NotoSans-Bold.ttf")}")}
@font-face{font-family:L;font-weight:400;src:url("${font("NotoSans-Regular.ttf")}")}
#t{font-family:T,L;line-height:1.2;overflow-wrap:break-word}
#w{font-family:T,L;white-space:nowrap;position:absolute;visibility:hidden}
</style><div id="t"></div><span id="w"></span></html>`);
await page.evaluate(() => document.fonts.ready);

let total = 0;
let splits = 0;
const thai = (c) => c >= "\u0e01" && c <= "\u0e5b";
for (const [px, weight] of [[36, 700], [56, 400]]) {
  let sizeBreaks = 0;
  let sizeSplits = 0;
  for (const width of [1040, 700, 560, 420, 300]) {
    for (const line of marked) {
      const title = [...line].filter((c) => c !== "|" && c !== "·");
      const words = new Set();
      let at = 0;
      for (const c of line) {
        if (c === "|") words.add(at);
        else if (c !== "·") at++;
      }
      const text = title.join("");
      const result = await lineStarts(page, text, `width:${width}px;font-size:${px}px;font-weight:${weight}`, "th", px);
      for (const k of result) {
        // The cut falls before the first code point of a new line (spaces skipped back).
        let cut = k;
        while (cut > 0 && title[cut - 1] === " ") cut--;
        sizeBreaks++;
        if (!(cut > 0 && thai(title[cut - 1]) && thai(title[cut])) || words.has(cut)) continue;
        let s = cut;
        while (s > 0 && thai(title[s - 1]) && !words.has(s)) s--;
        let e = cut;
        while (e < title.length && thai(title[e]) && !(e > cut && words.has(e))) e++;
        const word = title.slice(s, e).join("");
        const wide = await oneLineWidth(page, word, `font-size:${px}px;font-weight:${weight}`, "th");
        if (wide <= width) {
          sizeSplits++;
          console.log(`${px} px at ${width} px: …${title.slice(Math.max(0, cut - 6), cut).join("")}|${title.slice(cut, cut + 6).join("")}… splits ${word}`);
        }
      }
    }
  }
  console.log(`${process.argv[2]}, ${px} px: ${sizeSplits} of ${sizeBreaks} line breaks split a word`);
  total += sizeBreaks;
  splits += sizeSplits;
}
console.log(`total: ${splits} of ${total}`);
await browser.close();
