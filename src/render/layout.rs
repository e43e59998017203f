//! Fitting text into a slot: font size, line breaks, ellipsis, positions.
//!
//! Sizes are tried from the slot's largest down to its smallest in steps; at each size the
//! text is broken greedily (the longest line that fits, as browsers do) at break
//! opportunities. A word wider than the box is broken at the strongest of the weaker
//! opportunities that fits (`breaks::ladder`: a compound's sub-words, then syllables), and
//! between grapheme clusters only past them. When the
//! text needs more lines than the slot allows even at the smallest size, the last line ends
//! with `…` at a break opportunity. A short last line is rebalanced with the lines above it
//! (like CSS `text-wrap: pretty`), and so are lines ending where a Thai word the lists lack
//! may lie across the break (a doubtful opportunity: no line ends there when the same
//! number of lines can end elsewhere, and a smaller size is tried where every way ends one
//! there); lines are put in visual order for right-to-left text.
//!
//! Work is linear in the text, whatever its characters: the paragraph is shaped once
//! (prefix sums of advances, in em, so every size reuses them), line ends are found on the
//! sums by scanning or binary search, and exact shaping only confirms a choice, a bounded
//! number of times per line. Layout stops at the render's deadline.

use std::cell::{Cell, OnceCell};

use crate::assets::fonts::{FaceIndex, Fonts};
use crate::assets::templates::{Align, Slot, VAlign};
use crate::render::breaks::{self, Ladder};
use crate::render::shape::{
    self, is_rtl_paragraph, itemize, prefix_em_until, runs_width_em, visual_order, Run, ShapedGlyph,
};
use crate::render::{Deadline, RenderError};
use crate::request::Lang;
use unicode_segmentation::UnicodeSegmentation;

/// How far, in px, a line may exceed its box before we call it too wide (float noise).
const EPSILON: f32 = 0.01;

/// One laid-out line.
#[derive(Clone, Debug)]
pub struct Line {
    /// The line's text as drawn (trailing spaces dropped, `…` appended when cut).
    pub text: String,
    /// Left edge of the line, px.
    pub x: f32,
    /// Baseline, px.
    pub y: f32,
    /// Advance width of the line, px.
    pub width: f32,
    /// The font runs of `text` in visual order (left to right), each with its left edge
    /// in px. A run is one face and one direction.
    pub runs: Vec<(Run, f32)>,
    /// Each run's glyphs as shaped for its width, in drawing order (what is drawn).
    pub glyphs: Vec<Vec<ShapedGlyph>>,
}

/// A slot's text, fitted.
#[derive(Clone, Debug)]
pub struct SlotLayout {
    pub font_size: f32,
    pub lines: Vec<Line>,
    /// Whether the text was cut and ends with `…`.
    pub truncated: bool,
    /// The box the lines were fitted in (x, y, width, height): the slot's, or where
    /// `data-flow` moved it.
    pub frame: [f32; 4],
    /// The bottom of the last line's box (the box's top when there is no line): where a
    /// slot flowing below this one starts.
    pub bottom: f32,
}

/// Lays `text` out in `slot`. Characters no font has are appended to `missing`. Gives up
/// with `RenderError::DeadlineExceeded` once `deadline` has passed.
pub fn layout_slot(
    text: &str,
    lang: Option<Lang>,
    slot: &Slot,
    fonts: &Fonts,
    missing: &mut Vec<char>,
    deadline: Deadline,
) -> Result<SlotLayout, RenderError> {
    let mut chain = fonts.fallback_chain(&slot.families, slot.style());
    fonts.prefer_cjk_for(&mut chain, text, lang);
    if text.is_empty() {
        return Ok(SlotLayout {
            font_size: slot.font_size,
            lines: Vec::new(),
            truncated: false,
            frame: [slot.x, slot.y, slot.width, slot.height],
            bottom: slot.y,
        });
    }
    let runs = itemize(text, &chain, fonts, missing);
    let rtl = is_rtl_paragraph(text);
    deadline.check()?;
    // Text past what the slot could hold at its smallest size (each line at most a box
    // and a space wide, one line more, a tenth to spare) is never drawn: it is not
    // measured, and the paragraph ends where measuring stopped.
    let at_min = lines_that_fit(slot, slot.min_font_size) as f32 + 1.0;
    let limit_em = at_min * (slot.width / slot.min_font_size + 1.0) * 1.1;
    let breaks::Opportunities {
        breaks,
        doubtful,
        risky,
    } = breaks::opportunities(text, lang);
    let (prefix, stop) = prefix_em_until(text, &runs, fonts, &breaks, limit_em);
    let measured = &text[..stop];
    deadline.check()?;
    let paragraph = Paragraph {
        text: measured,
        cut_off: stop < text.len(),
        ink_em: ink_em(measured, &prefix),
        prefix,
        breaks: breaks.into_iter().filter(|&b| b < stop).collect(),
        doubtful: doubtful.into_iter().filter(|&b| b < stop).collect(),
        risky: risky.into_iter().filter(|&b| b < stop).collect(),
        graphemes: measured
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .skip(1)
            .chain(std::iter::once(stop))
            .collect(),
        ladder: OnceCell::new(),
        lang,
        chain: &chain,
        fonts,
        deadline,
        expired: Cell::new(false),
    };

    let mut size = slot.font_size;
    // The largest size that fits and cuts a word wider than the box on the strongest rung
    // so far (`Lines::cut`), and the rung the smallest size cuts on: no size cuts better.
    let mut best: Option<(Option<usize>, f32, Vec<Span>)> = None;
    let mut floor: Option<Option<usize>> = None;
    // A line that ends at a doubtful opportunity may end inside a word no list has
    // (`แสง|เหนือ`, `ชิน|คันเซ็น`): a title set a step smaller reads better than one with
    // a word broken across two lines, so sizes are tried on down while the lines set so
    // far end at one, and the set that cuts least deep on the ladder, then risks least
    // at its line ends (`Paragraph::doubt`), the largest first among equals, is kept:
    // (rung cut, doubt, size, lines).
    let mut doubted: Option<(Option<usize>, usize, f32, Vec<Span>)> = None;
    // Lines that fit, set at `size` as the slot shows them.
    let placed = |size: f32, lines: Vec<Span>| {
        let lines = lines.into_iter().map(|l| measured[l].to_string()).collect();
        place(slot, size, lines, false, fonts, &chain, rtl)
    };
    loop {
        let max_lines = lines_that_fit(slot, size);
        let at_min = size <= slot.min_font_size + EPSILON;
        let next = (size - slot.font_step).max(slot.min_font_size);
        if !at_min && paragraph.surely_too_long(size, slot.width, max_lines) {
            size = next;
            continue;
        }
        let mut cut_now = None;
        let broken = match paragraph.break_lines(size, slot.width, max_lines) {
            // Text was left unmeasured: what was measured fitting does not make it all.
            Ok(fit) if paragraph.cut_off => Err(fit.lines),
            other => other,
        };
        paragraph.check()?;
        let (set, lines) = match broken {
            // A word wider than the box is cut only as deep as the smallest size must cut
            // it: a title set a step smaller reads better than one with a word broken
            // across two lines (a Thai loanword, a stretch no word list covers, cut
            // between its words rather than inside one). Where the smallest size cuts as
            // deep, the largest size that fits is kept, as if no other had been tried.
            Ok(Lines { lines, cut }) => {
                let (least, at, kept) = match best.take() {
                    Some(b) if b.0 <= cut => b,
                    _ => (cut, size, lines),
                };
                let floor = *floor.get_or_insert_with(|| match least {
                    Some(_) if !at_min => {
                        paragraph.cut_at(slot.min_font_size, slot).unwrap_or(least)
                    }
                    _ => least,
                });
                paragraph.check()?;
                if least <= floor || at_min {
                    cut_now = least;
                    (at, kept)
                } else {
                    best = Some((least, at, kept));
                    size = next;
                    continue;
                }
            }
            // Not seen (a smaller size holds what a larger one does), but should it be.
            Err(_) if let Some((_, _, size, lines)) = doubted.take() => {
                return Ok(placed(size, lines));
            }
            Err(_) if let Some((_, size, lines)) = best.take() => (size, lines),
            Err(lines) if at_min => {
                let lines = paragraph.ellipsize(lines, size, slot.width);
                paragraph.check()?;
                return Ok(place(slot, size, lines, true, fonts, &chain, rtl));
            }
            Err(_) => {
                size = next;
                continue;
            }
        };
        let lines = paragraph
            .balance(&lines, set, slot.width, lines_that_fit(slot, set))
            .unwrap_or(lines);
        paragraph.check()?;
        let doubts = paragraph.doubt(&lines);
        let better = |d: &(Option<usize>, usize, f32, Vec<Span>)| (cut_now, doubts) < (d.0, d.1);
        if doubted.as_ref().is_none_or(better) {
            doubted = Some((cut_now, doubts, set, lines));
        }
        let least = doubted.as_ref().map_or(0, |d| d.1);
        if least > 0 && !at_min {
            size = next;
            continue;
        }
        let (_, _, size, lines) = doubted.take().expect("set above");
        return Ok(placed(size, lines));
    }
}

/// The advance, in em, of everything but spaces: no set of lines is narrower than it.
fn ink_em(text: &str, prefix: &[f32]) -> f32 {
    let spaces: f32 = text
        .match_indices(' ')
        .map(|(i, _)| prefix[i + 1] - prefix[i])
        .sum();
    prefix[text.len()] - spaces
}

/// How many lines of `size` the slot's box and its `max_lines` allow (at least one).
fn lines_that_fit(slot: &Slot, size: f32) -> usize {
    let by_height = (slot.height / (slot.line_height * size) + EPSILON).floor() as usize;
    by_height.clamp(1, slot.max_lines)
}

/// Lines greedy breaking found, and the weakest ladder rung it cut a word wider than the
/// box on (`breaks::Ladder`: a compound's parts first, syllables, then grapheme clusters),
/// if it cut one: the lower the better.
struct Lines {
    lines: Vec<Span>,
    cut: Option<usize>,
}

struct Paragraph<'a> {
    /// The text measured: the slot's whole text, or its start when `cut_off`.
    text: &'a str,
    cut_off: bool,
    /// The advance of `text` without its spaces, in em.
    ink_em: f32,
    prefix: Vec<f32>,
    breaks: Vec<usize>,
    /// Those of `breaks` where a line had better not end (`breaks::Opportunities`).
    doubtful: Vec<usize>,
    /// Those of `doubtful` where a word is likelier to lie across the break
    /// (`breaks::Opportunities::risky`).
    risky: Vec<usize>,
    /// Grapheme cluster ends, ascending, the last being `text.len()`.
    graphemes: Vec<usize>,
    /// The weaker opportunities, found when a word first turns out wider than its box.
    ladder: OnceCell<Ladder>,
    lang: Option<Lang>,
    chain: &'a [FaceIndex],
    fonts: &'a Fonts,
    deadline: Deadline,
    /// Set once an exact measure found the deadline passed: from then on nothing fits, so
    /// every loop ends quickly, and `check` reports it.
    expired: Cell<bool>,
}

/// Exact measures a line end may take before it searches by halves instead of stepping
/// back one candidate at a time.
const STEP_BACKS: usize = 2;

/// How much wider, in em, a line cut at break opportunities can be when shaped alone than
/// its estimate from the paragraph's prefix sums: the kerning across each end (and across
/// a shaping piece's seam) is a few hundredths of an em. A line estimated at least this
/// far inside its box fits without being shaped again.
const KERN_SLACK_EM: f32 = 0.25;

/// A line as a byte range of the paragraph, before `…` or placement.
type Span = std::ops::Range<usize>;

impl Paragraph<'_> {
    /// Estimated width of `text[a..b]` at `size` from the prefix sums.
    fn estimate(&self, span: &Span, size: f32) -> f32 {
        (self.prefix[span.end] - self.prefix[span.start]) * size
    }

    /// Exact width of `s` as it will be drawn, shaped on its own; infinite once the
    /// deadline has passed.
    fn exact(&self, s: &str, size: f32) -> f32 {
        if self.expired.get() || self.deadline.check().is_err() {
            self.expired.set(true);
            return f32::INFINITY;
        }
        let runs = itemize(s, self.chain, self.fonts, &mut Vec::new());
        runs_width_em(s, &runs, self.fonts) * size
    }

    /// Whether a line cut at break opportunities fits: by its estimate when that is
    /// clearly inside the box, else by shaping it.
    fn fits(&self, span: &Span, size: f32, width: f32) -> bool {
        self.estimate(span, size) + KERN_SLACK_EM * size <= width
            || self.exact(&self.text[span.clone()], size) <= width + EPSILON
    }

    /// Whether `max_lines` lines of `size` cannot hold the text, whatever the breaks:
    /// lines hold at most a box of ink each.
    fn surely_too_long(&self, size: f32, width: f32, max_lines: usize) -> bool {
        self.ink_em * size > max_lines as f32 * (width + KERN_SLACK_EM * size) + 1.0
    }

    fn check(&self) -> Result<(), RenderError> {
        if self.expired.get() {
            return Err(RenderError::DeadlineExceeded);
        }
        self.deadline.check()
    }

    /// The last of `ends` (ascending, all after `start`) whose line fits by estimate and
    /// then exactly, or `None` when not even the first fits. The estimate picks the
    /// candidate; exact shaping confirms it, stepping back a little when kerning across
    /// the cut made the estimate optimistic, then by halves: a bounded number of shapings
    /// per line, whatever the text.
    fn furthest_fit(
        &self,
        ends: &[usize],
        fits: impl Fn(usize) -> bool,
        estimate_fits: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        // Estimates grow with the line: the first end clearly too wide stops the scan.
        let plausible = ends.partition_point(|&e| estimate_fits(e));
        let mut hi = plausible;
        for _ in 0..STEP_BACKS {
            if hi == 0 {
                return None;
            }
            if fits(ends[hi - 1]) {
                return Some(ends[hi - 1]);
            }
            hi -= 1;
        }
        // ends[..lo] unknown-but-assumed fitting, ends[hi..] known not to fit.
        let mut lo = 0;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if fits(ends[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo > 0).then(|| ends[lo - 1])
    }

    /// The weakest rung greedy breaking cuts a word on at `size` (`Lines::cut`); `None`
    /// when the text does not fit.
    fn cut_at(&self, size: f32, slot: &Slot) -> Option<Option<usize>> {
        match self.break_lines(size, slot.width, lines_that_fit(slot, size)) {
            Ok(fit) if !self.cut_off => Some(fit.cut),
            _ => None,
        }
    }

    /// `start..end` with trailing white space dropped.
    fn trimmed(&self, start: usize, end: usize) -> Span {
        start..start + self.text[start..end].trim_end().len()
    }

    fn skip_spaces(&self, at: usize) -> usize {
        at + (self.text[at..].len() - self.text[at..].trim_start().len())
    }

    /// Greedy breaking into at most `max_lines` lines. `Err` carries the first
    /// `max_lines` lines when the text needs more.
    fn break_lines(&self, size: f32, width: f32, max_lines: usize) -> Result<Lines, Vec<Span>> {
        let len = self.text.len();
        let mut lines = Vec::new();
        let mut cut = None;
        let mut start = self.skip_spaces(0);
        while start < len {
            if lines.len() == max_lines {
                return Err(lines);
            }
            let (end, rung) = self.line_end(start, size, width);
            cut = cut.max(rung);
            lines.push(self.trimmed(start, end));
            start = self.skip_spaces(end);
        }
        Ok(Lines { lines, cut })
    }

    /// What ending a line at `end` risks: nothing at a sure opportunity, 1 at a doubtful
    /// one, and 1 more for each of: inside a chain of them (doubtful ones on both sides of
    /// it), a chain of short pieces that may be one word's syllables (`ชิน¦คัน¦เซ็น`,
    /// `แอชวา¦กัน¦ดา`), so that a line that must end in one ends at an edge; and between
    /// two rare words or two neither of Thai origin (`Opportunities::risky`: `แสง¦เหนือ`,
    /// `ดี¦บัก`).
    fn doubt_at(&self, end: usize) -> usize {
        let doubtful = |b: usize| self.doubtful.binary_search(&b).is_ok();
        if !doubtful(end) {
            return 0;
        }
        let inside = self.breaks.binary_search(&end).is_ok_and(|i| {
            i > 0
                && doubtful(self.breaks[i - 1])
                && self.breaks.get(i + 1).is_some_and(|&b| doubtful(b))
        });
        1 + usize::from(inside) + usize::from(self.risky.binary_search(&end).is_ok())
    }

    /// The `doubt_at` the ends of `lines` but the last add up to.
    fn doubt(&self, lines: &[Span]) -> usize {
        lines
            .iter()
            .rev()
            .skip(1)
            .map(|l| self.doubt_at(l.end))
            .sum()
    }

    /// Like CSS `text-wrap: pretty`: when greedy breaking leaves a short last line (under a
    /// third of the box), or ends a line at a doubtful opportunity (a Thai compound or
    /// loanword the lists lack may lie across it), the same number of lines broken as evenly
    /// as the opportunities allow (least sum of squared slack), ending fewer lines at
    /// doubtful ones where they can (each unit of `doubt_at` costs as much as a line left
    /// empty). Where the same number of lines must still end at one and the box holds
    /// another line (`max_lines`), one line more when it risks less there: a line more
    /// reads better than a word broken across two. `None` keeps the greedy lines: when
    /// neither is better.
    fn balance(
        &self,
        lines: &[Span],
        size: f32,
        width: f32,
        max_lines: usize,
    ) -> Option<Vec<Span>> {
        let n = lines.len();
        let last = lines.last()?;
        // A line ending at a Thai opportunity ends at it: no space is trimmed there.
        let greedy_doubts = self.doubt(lines);
        let short = self.estimate(last, size) < width / 3.0;
        if n < 2 || (!short && greedy_doubts == 0) {
            return None;
        }
        let start = lines[0].start;
        let stops: Vec<usize> = std::iter::once(start)
            .chain(self.breaks.iter().copied().filter(|&b| b > start))
            .chain(std::iter::once(self.text.len()))
            .collect();
        let k = stops.len();
        // What ending a line at each stop costs besides its slack, found once: each unit of
        // `doubt_at` as much as an empty line.
        let doubt: Vec<f32> = (0..k)
            .map(|j| match j > 0 && j + 1 < k {
                true => self.doubt_at(stops[j]) as f32 * width * width,
                false => 0.0,
            })
            .collect();
        // cost[l][j]: least cost of `l` lines ending at stops[j]; from[l][j]: where the
        // last of those lines starts.
        // One line more is tried only where greedy breaking ended one at a doubtful place.
        let top = if greedy_doubts > 0 && n < max_lines {
            n + 1
        } else {
            n
        };
        let mut cost = vec![vec![f32::INFINITY; k]; top + 1];
        let mut from = vec![vec![0usize; k]; top + 1];
        cost[0][0] = 0.0;
        for l in 1..=top {
            for i in 0..k - 1 {
                if !cost[l - 1][i].is_finite() {
                    continue;
                }
                let line_start = self.skip_spaces(stops[i]);
                for j in i + 1..k {
                    let w = self.estimate(&self.trimmed(line_start, stops[j]), size);
                    if w > width {
                        break;
                    }
                    let c = cost[l - 1][i] + (width - w).powi(2) + doubt[j];
                    if c < cost[l][j] {
                        cost[l][j] = c;
                        from[l][j] = i;
                    }
                }
            }
        }
        let build = |n: usize| -> Option<Vec<Span>> {
            if !cost[n][k - 1].is_finite() {
                return None;
            }
            let mut ends = vec![k - 1];
            for l in (1..n).rev() {
                ends.push(from[l + 1][ends[ends.len() - 1]]);
            }
            ends.reverse();
            let mut spans = Vec::with_capacity(n);
            let mut at = start;
            for &e in &ends {
                let span = self.trimmed(self.skip_spaces(at), stops[e]);
                if span.is_empty() || !self.fits(&span, size, width) {
                    return None;
                }
                spans.push(span);
                at = stops[e];
            }
            Some(spans)
        };
        let same = build(n);
        if top > n {
            let least = same.as_deref().map_or(greedy_doubts, |s| self.doubt(s));
            if let Some(more) = build(top).filter(|more| self.doubt(more) < least) {
                return Some(more);
            }
        }
        let spans = same?;
        let balanced_last = spans.last().map_or(0.0, |s| self.estimate(s, size));
        match self.doubt(&spans).cmp(&greedy_doubts) {
            std::cmp::Ordering::Less => Some(spans),
            std::cmp::Ordering::Equal if short => {
                (balanced_last > self.estimate(last, size)).then_some(spans)
            }
            _ => None,
        }
    }

    /// Where the line starting at `start` ends: the furthest break opportunity whose line
    /// fits, else (a word wider than the box) where `word_cut` cuts the word, and on which
    /// rung.
    fn line_end(&self, start: usize, size: f32, width: f32) -> (usize, Option<usize>) {
        let first = self.breaks.partition_point(|&b| b <= start);
        let mut ends: Vec<usize> = self.breaks[first..].to_vec();
        ends.push(self.text.len());
        let found = self.furthest_fit(
            &ends,
            |e| self.fits(&self.trimmed(start, e), size, width),
            |e| self.estimate(&self.trimmed(start, e), size) <= width + 1.0,
        );
        match found {
            Some(end) => (end, None),
            None => {
                let (end, rung) = self.word_cut(start, ends[0], size, width, "");
                (end, Some(rung))
            }
        }
    }

    /// Where to cut a word that does not fit: in `start..limit`, the furthest place such
    /// that the text up to it, plus `suffix`, fits — on the strongest rung of the ladder
    /// that has one (a compound's parts, their parts, syllables), else between grapheme
    /// clusters; at least one grapheme, so that layout always advances. The rung is the
    /// ladder's index, its length for a cut between grapheme clusters.
    fn word_cut(
        &self,
        start: usize,
        limit: usize,
        size: f32,
        width: f32,
        suffix: &str,
    ) -> (usize, usize) {
        let ladder = self
            .ladder
            .get_or_init(|| breaks::ladder(self.text, self.lang));
        for (i, rung) in ladder.rungs.iter().enumerate() {
            let ends = strictly_between(rung, start, limit);
            if let Some(end) = self.cut_among(start, ends, size, width, suffix) {
                return (end, i);
            }
        }
        let graphemes = strictly_between(&self.graphemes, start, limit);
        let end = self
            .cut_among(start, graphemes, size, width, suffix)
            .or(graphemes.first().copied())
            .unwrap_or(limit);
        (end, ladder.rungs.len())
    }

    /// The last of `ends` (ascending, inside one word after `start`) such that the text
    /// from `start` to it, plus `suffix`, fits.
    fn cut_among(
        &self,
        start: usize,
        ends: &[usize],
        size: f32,
        width: f32,
        suffix: &str,
    ) -> Option<usize> {
        if ends.is_empty() {
            return None;
        }
        let suffix_em = if suffix.is_empty() {
            0.0
        } else {
            self.exact(suffix, 1.0)
        };
        let with_suffix = |e: usize| format!("{}{suffix}", &self.text[start..e]);
        self.furthest_fit(
            ends,
            |e| self.exact(&with_suffix(e), size) <= width + EPSILON,
            |e| self.estimate(&(start..e), size) + suffix_em * size <= width + 1.0,
        )
    }

    /// Replaces the last of `lines` by the longest prefix of the remaining text that fits
    /// with `…` after it, cut at a break opportunity (or inside the first word, as
    /// `word_cut` cuts it, when not even that fits).
    fn ellipsize(&self, mut lines: Vec<Span>, size: f32, width: f32) -> Vec<String> {
        let last = lines.pop().map_or(0, |l| l.start);
        let mut out: Vec<String> = lines
            .into_iter()
            .map(|l| self.text[l].to_string())
            .collect();
        let ellipsis_em = self.exact("…", 1.0);
        let first = self.breaks.partition_point(|&b| b <= last);
        let ends: Vec<usize> = self.breaks[first..]
            .iter()
            .copied()
            .filter(|&e| !self.trimmed(last, e).is_empty())
            .collect();
        let cut = self
            .furthest_fit(
                &ends,
                |e| {
                    let span = self.trimmed(last, e);
                    let estimate = self.estimate(&span, size) + ellipsis_em * size;
                    estimate + KERN_SLACK_EM * size <= width || {
                        let with_ellipsis = format!("{}…", &self.text[span]);
                        self.exact(&with_ellipsis, size) <= width + EPSILON
                    }
                },
                |e| {
                    let span = self.trimmed(last, e);
                    self.estimate(&span, size) + ellipsis_em * size <= width + 1.0
                },
            )
            .map(|e| self.trimmed(last, e).end);
        let end = cut.unwrap_or_else(|| {
            let limit = self
                .breaks
                .iter()
                .copied()
                .find(|&e| e > last)
                .unwrap_or(self.text.len());
            let (end, _) = self.word_cut(last, limit, size, width, "…");
            self.trimmed(last, end).end
        });
        out.push(format!("{}…", &self.text[last..end]));
        out
    }
}

/// How far below the top of a line box of `line_box` px the baseline of `face` at `size`
/// sits. Like CSS: the strut of the first available font, half-leading above and below,
/// with ascent and descent rounded to whole pixels as Blink rounds font metrics; Blink
/// gives the odd pixel of leading to the space below the line.
pub fn baseline_in_line_box(face: &crate::assets::fonts::Face, size: f32, line_box: f32) -> f32 {
    let ascent = (face.ascent * size).round();
    let descent = (face.descent * size).round();
    ((line_box - (ascent + descent)) / 2.0).floor() + ascent
}

/// The part of ascending `offsets` strictly between `start` and `limit`.
fn strictly_between(offsets: &[usize], start: usize, limit: usize) -> &[usize] {
    let from = offsets.partition_point(|&b| b <= start);
    let to = offsets.partition_point(|&b| b < limit);
    &offsets[from..to.max(from)]
}

/// Positions the lines in the slot's box.
fn place(
    slot: &Slot,
    size: f32,
    lines: Vec<String>,
    truncated: bool,
    fonts: &Fonts,
    chain: &[FaceIndex],
    rtl: bool,
) -> SlotLayout {
    let line_box = slot.line_height * size;
    let block = line_box * lines.len() as f32;
    let top = match slot.valign {
        VAlign::Top => slot.y,
        VAlign::Middle => slot.y + (slot.height - block) / 2.0,
        VAlign::Bottom => slot.y + slot.height - block,
    };
    let baseline = baseline_in_line_box(&fonts.faces[chain[0]], size, line_box);

    let lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let runs = visual_order(&text, &itemize(&text, chain, fonts, &mut Vec::new()), rtl);
            // Each run shaped once: its width places it and adds to the line's, and its
            // glyphs are what gets drawn.
            let glyphs: Vec<Vec<ShapedGlyph>> = runs
                .iter()
                .map(|r| shape::glyphs(&text[r.range.clone()], &fonts.faces[r.face]))
                .collect();
            let widths_em: Vec<f32> = runs
                .iter()
                .zip(&glyphs)
                .map(|(r, g)| {
                    let units: i64 = g.iter().map(|g| i64::from(g.x_advance)).sum();
                    units as f32 / fonts.faces[r.face].units_per_em
                })
                .collect();
            let width = widths_em.iter().sum::<f32>() * size;
            // `start` is the paragraph's own start: the right edge for Arabic or Hebrew.
            let x = match (slot.align, rtl) {
                (Align::Start, false) | (Align::End, true) => slot.x,
                (Align::Center, _) => slot.x + (slot.width - width) / 2.0,
                (Align::End, false) | (Align::Start, true) => slot.x + slot.width - width,
            };
            let mut pen = x;
            let runs = runs
                .into_iter()
                .zip(widths_em)
                .map(|(run, w)| {
                    let at = pen;
                    pen += w * size;
                    (run, at)
                })
                .collect();
            Line {
                text,
                x,
                // Browsers draw text on a whole-pixel baseline: crisper, and the same rows.
                y: (top + line_box * i as f32 + baseline).round(),
                width,
                runs,
                glyphs,
            }
        })
        .collect::<Vec<_>>();
    SlotLayout {
        font_size: size,
        bottom: if lines.is_empty() {
            slot.y
        } else {
            top + block
        },
        lines,
        truncated,
        frame: [slot.x, slot.y, slot.width, slot.height],
    }
}
