// Cards embedded in other sites' pages, in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core). The pages are served from another loopback port than the
// cards, so every check crosses origins as a blog's pages do:
// - a page with `Cross-Origin-Embedder-Policy: require-corp` shows the card (and, as a
//   control, not the same PNG from an origin that does not send
//   `Cross-Origin-Resource-Policy`);
// - at deviceScaleFactor 2 the `srcset` picks the `dpr=2` card, a 2400×1260 PNG;
// - a card fetched with `crossOrigin="anonymous"` draws into a canvas that stays readable.
//   node embedding.mjs http://127.0.0.1:PORT
import http from "node:http";
import { check, finish, launch } from "./harness.mjs";

const cards = process.argv[2];
const title = "การปฏิวัติแบบโอเพนซอร์สของ DeepSeek";
const card = (extra = "") => `${cards}/api/og?title=${encodeURIComponent(title)}${extra}`;
const svgCard = "&template=article&tags=ai,thai&description=" +
  encodeURIComponent("ข้อมูลเชิงลึกจากการประชุมสุดยอด AI 😀 東京");

// The control: the same card's bytes, from an origin without the card's headers.
const cardBytes = Buffer.from(await (await fetch(card())).arrayBuffer());
const plain = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "image/png" });
  res.end(cardBytes);
});
await new Promise((ok) => plain.listen(0, "127.0.0.1", ok));
const plainUrl = `http://127.0.0.1:${plain.address().port}/card.png`;

const pages = {
  "/coep": {
    headers: { "cross-origin-embedder-policy": "require-corp" },
    body: `<img id="card" src="${card()}" width="1200" height="630" alt="">
           <img id="control" src="${plainUrl}" alt="">`,
  },
  "/srcset": {
    headers: {},
    body: `<img id="card" src="${card()}" srcset="${card("&dpr=2")} 2x, ${card("&dpr=3")} 3x"
             width="1200" height="630" alt="">`,
  },
  "/canvas": {
    headers: {},
    body: `<img id="card" crossorigin="anonymous" src="${card("&template=light")}" alt="">`,
  },
  // The SVG card (glyphs as outlines written once) beside the PNG of the same card.
  "/svg": {
    headers: {},
    body: `<img id="svg" crossorigin="anonymous" src="${card(svgCard + "&format=svg")}" alt="">
           <img id="png" crossorigin="anonymous" src="${card(svgCard)}" alt="">`,
  },
};
const site = http.createServer((req, res) => {
  const page = pages[req.url];
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...page.headers });
  res.end(`<!doctype html><meta charset="utf-8"><body style="margin:0">${page.body}`);
});
await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${site.address().port}`;

// Waits for an image (#card by default) to finish loading; resolves to whether it loaded.
const loaded = (page, id = "card") =>
  page.evaluate((id) => {
    const img = document.getElementById(id);
    if (img.complete) return img.naturalWidth > 0;
    return new Promise((ok) => {
      img.addEventListener("load", () => ok(true));
      img.addEventListener("error", () => ok(false));
    });
  }, id);

const browser = await launch();
try {
  {
    const page = await browser.newPage();
    const response = await page.goto(origin + "/coep");
    check("the page is cross-origin isolated",
      response.headers()["cross-origin-embedder-policy"] === "require-corp");
    const ok = await loaded(page);
    const width = await page.evaluate(() => document.getElementById("card").naturalWidth);
    check("a require-corp page shows the card", ok && width === 1200, `loaded ${ok}, ${width}`);
    check("but not the same PNG without the card's headers", !(await loaded(page, "control")));
    await page.close();
  }
  {
    const context = await browser.newContext({ deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(origin + "/srcset");
    const ok = await loaded(page);
    const src = await page.evaluate(() => document.getElementById("card").currentSrc);
    check("a 2× screen picks the dpr=2 card", ok && src.endsWith("&dpr=2"), src);
    const png = Buffer.from(await (await fetch(src)).arrayBuffer());
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    check("the dpr=2 card is 2400×1260", w === 2400 && h === 1260, `${w}×${h}`);
    await context.close();
  }
  {
    const page = await browser.newPage();
    await page.goto(origin + "/canvas");
    const ok = await loaded(page);
    const drawn = await page.evaluate(() => {
      const img = document.getElementById("card");
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      try {
        const url = canvas.toDataURL("image/png");
        const [r, g, b] = ctx.getImageData(600, 5, 1, 1).data;
        return { url: url.length, pixel: [r, g, b] };
      } catch (e) {
        return { error: String(e) };
      }
    });
    check("a canvas draws the card without being tainted",
      ok && !drawn.error && drawn.url > 1000, JSON.stringify(drawn));
    check("and reads its pixels", Array.isArray(drawn.pixel), JSON.stringify(drawn));
    await page.close();
  }
  {
    const page = await browser.newPage();
    await page.goto(origin + "/svg");
    const ok = (await loaded(page, "svg")) && (await loaded(page, "png"));
    const compared = await page.evaluate(() => {
      const pixels = (id) => {
        const img = document.getElementById(id);
        const canvas = document.createElement("canvas");
        canvas.width = 1200;
        canvas.height = 630;
        const ctx = canvas.getContext("2d");
        ctx.drawImage(img, 0, 0, 1200, 630);
        return ctx.getImageData(0, 0, 1200, 630).data;
      };
      const [a, b] = [pixels("svg"), pixels("png")];
      let sum = 0;
      let far = 0;
      for (let i = 0; i < a.length; i += 4) {
        const d = Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]),
          Math.abs(a[i + 2] - b[i + 2]));
        sum += d;
        if (d > 64) far++;
      }
      return { mean: sum / (a.length / 4), far };
    });
    // Glyph edges differ a little (the PNG places glyphs on a quarter-pixel grid);
    // a missing or misplaced glyph would differ by hundreds of pixels.
    check("Chromium draws the SVG card as the PNG",
      ok && compared.mean < 1 && compared.far < 1200 * 630 / 500, JSON.stringify(compared));
    await page.close();
  }
} catch (e) {
  check("no exception", false, e.message);
} finally {
  await browser.close();
  site.close();
  plain.close();
}
finish();
