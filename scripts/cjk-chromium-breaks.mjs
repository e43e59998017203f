// Where Chromium breaks the lines of the marked Japanese and Chinese headlines
// (tests/data/cjk-phrases-*.txt: `lang<TAB>headline`, `|` between phrases or words), for
// comparison with tests/cjk_breaks.rs: each headline is set in its `lang` with the bundled
// Noto Sans CJK of its region (bold, as ogcard draws CJK) and Noto Sans at 36 and 56 px, in boxes 1040, 700, 560, 420
// and 300 px wide, once as Chromium breaks by default and once with
// `word-break: auto-phrase` (BudouX inside Chromium; Japanese only). A line break counts as
// inside a phrase when it is not at a `|` or a space and that phrase alone fits the box.
// Needs Debian's chromium and tests/browser's npm packages (`npm ci` there).
//
//   node scripts/cjk-chromium-breaks.mjs tests/data/cjk-phrases-heldout.txt
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { lineStarts, oneLineWidth } from "./chromium-lines.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "tests/browser/package.json"));
const { chromium } = require("playwright-core");

const marked = readFileSync(process.argv[2], "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"))
  .map((l) => {
    const [lang, line] = l.split("\t");
    const title = [];
    const marks = new Set();
    for (const c of line) {
      if (c === "|") marks.add(title.length);
      else title.push(c);
    }
    return { lang, title, marks };
  });
// A font collection (.ttc) cannot be a web font: Chromium finds the repository's fonts
// through fontconfig instead, each region's face by its family name.
const work = mkdtempSync(join(tmpdir(), "ogcard-cjk-"));
const conf = join(work, "fonts.conf");
writeFileSync(conf, `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${join(root, "fonts")}</dir>
<cachedir>${join(work, "cache")}</cachedir></fontconfig>`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  env: { ...process.env, FONTCONFIG_FILE: conf },
});
const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
await page.setContent(`<!doctype html><html><meta charset="utf-8"><style>
#t,#w{font-weight:700;line-height:1.2}
#t{overflow-wrap:break-word}
#w{white-space:nowrap;position:absolute;visibility:hidden}
</style><div id="t"></div><span id="w"></span></html>`);
const region = { ja: "JP", "zh-Hans": "SC", "zh-Hant": "TC" };
const family = (lang) => `"Noto Sans", "Noto Sans CJK ${region[lang] || "SC"}"`;

const boundary = (m, k) =>
  k === 0 || k === m.title.length || m.marks.has(k) || m.title[k - 1] === " " || m.title[k] === " ";

for (const wordBreak of ["normal", "auto-phrase"]) {
  let total = 0;
  let inside = 0;
  const byLang = {};
  for (const px of [36, 56]) {
    for (const width of [1040, 700, 560, 420, 300]) {
      for (const m of marked) {
        if (wordBreak === "auto-phrase" && m.lang !== "ja") continue;
        const text = m.title.join("");
        const style = `width:${width}px;font-size:${px}px;word-break:${wordBreak};font-family:${family(m.lang)}`;
        const cuts = await lineStarts(page, text, style, m.lang, px);
        for (const k of cuts) {
          let cut = k;
          while (cut > 0 && m.title[cut - 1] === " ") cut--;
          total++;
          const counts = (byLang[m.lang] ||= { total: 0, inside: 0 });
          counts.total++;
          if (boundary(m, cut)) continue;
          let s = cut;
          while (!boundary(m, s)) s--;
          let e = cut;
          while (!boundary(m, e)) e++;
          const phrase = m.title.slice(s, e).join("");
          const wide = await oneLineWidth(page, phrase, `font-size:${px}px;font-family:${family(m.lang)}`, m.lang);
          if (wide <= width) {
            inside++;
            counts.inside++;
            console.log(`${wordBreak} ${px} px at ${width} px: ${m.title.slice(0, cut).join("")}|${m.title.slice(cut).join("")}`);
          }
        }
      }
    }
  }
  for (const [lang, c] of Object.entries(byLang)) {
    console.log(`${process.argv[2]}, word-break: ${wordBreak}, ${lang}: ${c.inside} of ${c.total}`);
  }
  console.log(`${process.argv[2]}, word-break: ${wordBreak}: ${inside} of ${total} line breaks inside a phrase`);
}
await browser.close();
