// What the Chromium comparison scripts (thai-chromium-breaks.mjs, cjk-chromium-breaks.mjs)
// ask of a page holding `<div id="t">` and `<span id="w">`: where Chromium starts each
// line of a text, and how wide a text is on one line.

/** Code-point offsets where a line after the first starts, `text` set in #t with `style`. */
export function lineStarts(page, text, style, lang = "", px) {
  return page.evaluate(({ text, style, lang, px }) => {
    const t = document.getElementById("t");
    t.lang = lang;
    t.style.cssText = style;
    t.textContent = text;
    const node = t.firstChild;
    const range = document.createRange();
    const cps = [...text];
    let offset = 0;
    let top = null;
    const starts = [];
    for (let i = 0; i < cps.length; i++) {
      range.setStart(node, offset);
      range.setEnd(node, offset + cps[i].length);
      offset += cps[i].length;
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const y = Math.round(rect.top);
      if (top !== null && y - top > px * 0.6) starts.push(i);
      top = y;
    }
    return starts;
  }, { text, style, lang, px });
}

/** The width of `text` on one line in #w, set with `style`. */
export function oneLineWidth(page, text, style, lang = "") {
  return page.evaluate(({ text, style, lang }) => {
    const w = document.getElementById("w");
    w.lang = lang;
    w.style.cssText = style;
    w.textContent = text;
    return w.getBoundingClientRect().width;
  }, { text, style, lang });
}
