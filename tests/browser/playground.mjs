// Types a Thai title into the playground in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core), waits for the preview, and checks that the preview is a
// 1200×630 card and that the og:image URL the page offers fetches the same PNG.
//   node playground.mjs http://127.0.0.1:PORT
import { check, finish, launch } from "./harness.mjs";

const base = process.argv[2];
const title = "สวัสดีชาวโลก: ทดสอบเบราว์เซอร์ของ ogcard";
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(base + "/");
  check("page title", (await page.title()) === "ogcard playground");
  await page.fill("#title", "");
  await page.type("#title", title);
  await page.waitForFunction(
    (t) => {
      const img = document.getElementById("card");
      return img.dataset.loaded === img.src && decodeURIComponent(img.src).includes(t);
    },
    title,
    { timeout: 20000 },
  );
  const [w, h] = await page.evaluate(() => {
    const img = document.getElementById("card");
    return [img.naturalWidth, img.naturalHeight];
  });
  check("preview is 1200×630", w === 1200 && h === 630, `${w}×${h}`);

  const copied = (await page.textContent("#url")).trim();
  check("og:image URL carries the title", decodeURIComponent(copied).includes(title), copied);
  check("og:image URL is absolute", copied.startsWith(base + "/api/og?"), copied);
  const meta = await page.textContent("#meta");
  check("meta tags name og:image", meta.includes('property="og:image"'), meta);

  const src = await page.evaluate(() => document.getElementById("card").src);
  const [fromUrl, fromPreview] = await Promise.all(
    [copied, src].map(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get("content-type"), bytes: Buffer.from(await r.arrayBuffer()) };
    }),
  );
  check("copied URL answers a PNG", fromUrl.status === 200 && fromUrl.type === "image/png", `${fromUrl.status} ${fromUrl.type}`);
  check("copied URL is the previewed card", fromUrl.bytes.equals(fromPreview.bytes), `${fromUrl.bytes.length} vs ${fromPreview.bytes.length} bytes`);
  const png = fromUrl.bytes;
  check("PNG header says 1200×630", png.readUInt32BE(16) === 1200 && png.readUInt32BE(20) === 630);

  check("starts on the default template", (await page.inputValue("#template")) === "default");
  await page.waitForFunction(() => document.getElementById("status").textContent.includes("KB"));
  const status = await page.textContent("#status");
  check("shows the card's bytes, timing and missing glyphs",
    /KB · Server-Timing: .* · no missing glyphs/.test(status), status);

  // Every parameter: an article with a description, author and tags, in debug.
  await page.selectOption("#template", "article");
  await page.fill("#description", "สรุปทุกอย่างที่ต้องรู้");
  await page.fill("#author", "lark");
  await page.fill("#tags", "AI, โอเพนซอร์ส");
  await page.selectOption("#theme", "light");
  await page.fill("#accent", "#e11d48");
  await page.check("#debug");
  await page.waitForFunction(() => {
    const img = document.getElementById("card");
    return img.dataset.loaded === img.src && img.src.includes("debug=1");
  }, null, { timeout: 20000 });
  const shown = decodeURIComponent(await page.evaluate(() => document.getElementById("card").src));
  for (const part of ["template=article", "description=สรุปทุกอย่างที่ต้องรู้", "author=lark",
    "tags=AI, โอเพนซอร์ส", "theme=light", "accent=#e11d48", "debug=1"]) {
    check(`the preview's URL has ${part}`, shown.includes(part), shown);
  }
  const og = decodeURIComponent((await page.textContent("#url")).trim());
  check("the og:image URL has the parameters but not debug", og.includes("author=lark") && !og.includes("debug"), og);

  // Sizes: each previewed as a thumbnail; picking one shows that design.
  await page.waitForFunction(() => [...document.querySelectorAll("#sizes img")]
    .every((img) => img.complete && img.naturalWidth > 0), null, { timeout: 20000 });
  const thumbs = await page.evaluate(() => [...document.querySelectorAll("#sizes img")]
    .map((img) => `${img.naturalWidth}×${img.naturalHeight}`));
  check("a thumbnail of every size (at dpr 0.5)",
    thumbs.join(" ") === "600×315 600×300 600×600 400×200", thumbs.join(" "));
  await page.click("#sizes button[data-size=square]");
  await page.waitForFunction(() => {
    const img = document.getElementById("card");
    return img.dataset.loaded === img.src && img.src.includes("size=square");
  }, null, { timeout: 20000 });
  const square = await page.evaluate(() => {
    const img = document.getElementById("card");
    return `${img.naturalWidth}×${img.naturalHeight}`;
  });
  check("picking square previews the square design", square === "1200×1200", square);
  const squareMeta = await page.textContent("#meta");
  check("the meta tags give the square's pixels",
    squareMeta.includes('og:image:width" content="1200"') && squareMeta.includes('og:image:height" content="1200"')
      && squareMeta.includes("size=square"), squareMeta);

  await page.screenshot({ path: process.env.SCREENSHOT || "/tmp/ogcard-playground.png", fullPage: true });
} catch (e) {
  check("no exception", false, e.message);
} finally {
  await browser.close();
}
finish();
