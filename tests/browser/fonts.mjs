// Sets a title in headless Chromium with web fonts as a site loads them (the font
// packages' own CSS, with its unicode-range subsets), in the box of ogcard's default card,
// and reports where Chromium broke the lines and a screenshot, for tests/fonts.rs to
// compare with ogcard's card in the same font files.
//
//   node fonts.mjs SPEC.json
//
// SPEC: {"cases": [{"name", "css": [file paths], "family", "weight", "title",
//                    "screenshot": path}]}. Prints one JSON line per case:
// {"name", "lines": [text of each line]}, then the usual summary line.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { check, finish, launch } from "./harness.mjs";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const dir = mkdtempSync(join(tmpdir(), "ogcard-fonts-"));
const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
  for (const c of spec.cases) {
    const html = join(dir, `${c.name}.html`);
    writeFileSync(html, `<!doctype html><meta charset="utf-8">
${c.css.map((f) => `<link rel="stylesheet" href="${pathToFileURL(f)}">`).join("\n")}
<style>
html,body{margin:0;width:1200px;height:630px;background:#0f172a;overflow:hidden}
#t{position:absolute;left:80px;top:72px;width:1040px;color:#fff;
   font:${c.weight} 64px/1.5 "${c.family}"}
</style><div id="t" dir="auto">${escape(c.title)}</div>`);
    await page.goto(pathToFileURL(html).href);
    await page.evaluate(() => document.fonts.ready);
    const lines = await page.evaluate(() => {
      // Each grapheme's first box: graphemes on one row share its top.
      const node = document.getElementById("t").firstChild;
      const range = document.createRange();
      const rows = [];
      let at = 0;
      for (const { segment } of new Intl.Segmenter("th", { granularity: "grapheme" })
        .segment(node.data)) {
        range.setStart(node, at);
        range.setEnd(node, at + segment.length);
        at += segment.length;
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        const top = Math.round(rect.top);
        if (rows.length === 0 || Math.abs(rows[rows.length - 1].top - top) > 20) {
          rows.push({ top, text: "" });
        }
        rows[rows.length - 1].text += segment;
      }
      return rows.map((r) => r.text.trim());
    });
    const loaded = await page.evaluate(
      (family) => [...document.fonts].filter((f) => f.family.replace(/"/g, "") === family
        && f.status === "loaded").length, c.family);
    check(`${c.name}: Chromium loaded the web font`, loaded > 0, `${loaded} faces`);
    await page.screenshot({ path: c.screenshot });
    console.log(JSON.stringify({ name: c.name, lines }));
  }
} catch (e) {
  check("no exception", false, e.message);
} finally {
  await browser.close();
}
finish();
