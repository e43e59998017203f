// Renders the default card (1200×630, #0f172a, white bold 64 px title, line height 1.5,
// box x=80 top=72 width=1040, Noto Sans Thai + Noto Sans Bold) with Takumi and with
// satori + resvg-js, times them, and prints them beside ogcard's own figures (measured by
// run.sh with the release binary on the same titles). Usage: node compare.mjs OGCARD_JSON
import { readFileSync } from "node:fs";
import { Renderer } from "@takumi-rs/core";
import satori from "satori";
import { Resvg } from "@resvg/resvg-js";

const root = new URL("../../", import.meta.url);
const font = (f) => readFileSync(new URL(`fonts/${f}`, root));
const thaiBold = font("NotoSansThai-Bold.ttf");
const latinBold = font("NotoSans-Bold.ttf");
const titles = readFileSync(new URL("tests/data/thai.txt", root), "utf8").split("\n").filter(Boolean).slice(0, 5);
const ogcard = JSON.parse(readFileSync(process.argv[2], "utf8"));
const RUNS = Number(process.env.RUNS || 30);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
async function time(fn) {
  await fn(); // warm-up
  const ms = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const out = await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    bytes = out.length;
  }
  return { ms: median(ms), bytes };
}

const takumi = new Renderer();
const takumiFonts = [
  { name: "Noto Sans Thai", data: thaiBold, weight: 700 },
  { name: "Noto Sans", data: latinBold, weight: 700 },
];
for (const f of takumiFonts) await takumi.registerFont(f);
const takumiCard = (title) => ({
  type: "container",
  style: { width: 1200, height: 630, backgroundColor: "#0f172a", paddingLeft: 80, paddingTop: 72, display: "flex" },
  children: [{
    type: "text",
    text: title,
    style: { width: 1040, color: "#ffffff", fontSize: 64, fontWeight: 700, lineHeight: 1.5, fontFamily: "Noto Sans Thai, Noto Sans" },
  }],
});

const satoriFonts = [
  { name: "Noto Sans Thai", data: thaiBold, weight: 700, style: "normal" },
  { name: "Noto Sans", data: latinBold, weight: 700, style: "normal" },
];
const satoriCard = (title) => ({
  type: "div",
  props: {
    style: { width: 1200, height: 630, background: "#0f172a", display: "flex", paddingLeft: 80, paddingTop: 72 },
    children: [{
      type: "div",
      props: { style: { width: 1040, color: "#fff", fontSize: 64, fontWeight: 700, lineHeight: 1.5, fontFamily: "Noto Sans Thai, Noto Sans" }, children: title },
    }],
  },
});

const rows = [];
for (const title of titles) {
  const t = await time(() => takumi.render(takumiCard(title), { width: 1200, height: 630, format: "png" }));
  const s = await time(async () => {
    const svg = await satori(satoriCard(title), { width: 1200, height: 630, fonts: satoriFonts });
    return new Resvg(svg).render().asPng();
  });
  const o = ogcard[title];
  rows.push({ title: title.slice(0, 24), ogcard_ms: o.ms, ogcard_kb: o.bytes / 1000, takumi_ms: t.ms, takumi_kb: t.bytes / 1000, satori_ms: s.ms, satori_kb: s.bytes / 1000 });
}
const fmt = (n) => n.toFixed(2).padStart(7);
console.log("title                    | ogcard ms   KB | takumi ms   KB | satori+resvg ms   KB | ogcard/takumi");
for (const r of rows) {
  console.log(`${r.title.padEnd(24)} | ${fmt(r.ogcard_ms)} ${fmt(r.ogcard_kb)} | ${fmt(r.takumi_ms)} ${fmt(r.takumi_kb)} | ${fmt(r.satori_ms)} ${fmt(r.satori_kb)} | ${(r.ogcard_ms / r.takumi_ms).toFixed(2)}`);
}
const m = (k) => median(rows.map((r) => r[k]));
console.log(`median                   | ${fmt(m("ogcard_ms"))} ${fmt(m("ogcard_kb"))} | ${fmt(m("takumi_ms"))} ${fmt(m("takumi_kb"))} | ${fmt(m("satori_ms"))} ${fmt(m("satori_kb"))} | ${(m("ogcard_ms") / m("takumi_ms")).toFixed(2)}`);

// The photo card, when run.sh measured ogcard's (`cover` with tests/data/pictures/rocket.jpg):
// Takumi draws the same photo full-bleed (object-fit: cover), a dark gradient over its
// lower part and the title at the bottom, as PNG and as JPEG (quality 85). Distinct titles
// each run, as ogcard's batch has; Takumi may keep the decoded photo, ogcard's CLI decodes
// it for every card.
if (ogcard.photo) {
  const photo = readFileSync(new URL("tests/data/pictures/rocket.jpg", root));
  const images = [{ src: "rocket.jpg", data: photo }];
  const photoCard = (title) => ({
    type: "container",
    style: { width: 1200, height: 630, display: "flex", position: "relative" },
    children: [
      { type: "image", src: "rocket.jpg", style: { position: "absolute", left: 0, top: 0, width: 1200, height: 630, objectFit: "cover" } },
      { type: "container", style: { position: "absolute", left: 0, top: 0, width: 1200, height: 630, backgroundImage: "linear-gradient(180deg, rgba(2,6,23,0) 30%, rgba(2,6,23,0.92) 100%)" } },
      {
        type: "text",
        text: title,
        style: { position: "absolute", left: 64, bottom: 64, width: 1072, color: "#ffffff", fontSize: 60, fontWeight: 700, lineHeight: 1.25, fontFamily: "Noto Sans Thai, Noto Sans" },
      },
    ],
  });
  console.log("\nphoto card (cover)       | ogcard ms   KB | takumi ms   KB | ogcard/takumi");
  for (const format of ["png", "jpeg"]) {
    let i = 0;
    const t = await time(() => {
      i++;
      return takumi.render(photoCard(`${titles[0]} ${i}`), { width: 1200, height: 630, format, quality: 85, images });
    });
    const o = ogcard.photo[format];
    console.log(`${format.padEnd(24)} | ${fmt(o.ms)} ${fmt(o.bytes / 1000)} | ${fmt(t.ms)} ${fmt(t.bytes / 1000)} | ${(o.ms / t.ms).toFixed(2)}`);
  }
}
