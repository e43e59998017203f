//! Thai line breaks against the judged reference in `tests/data/thai-breaks.json`
//! (copied from `shared/samples/`; see its README): at every box width from 400 to
//! 1040 px, no line break and no ellipsis cut falls at a judged offset that is not allowed.

use ogcard::render::layout::layout_slot;
use ogcard::render::Assets;

struct Judged {
    title: String,
    allowed: Vec<usize>,
    judged: Vec<usize>,
    icu4c_forbidden: usize,
}

fn reference() -> Vec<Judged> {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("data/thai-breaks.json")).unwrap();
    let offsets = |v: &serde_json::Value| -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_u64().unwrap() as usize)
            .collect()
    };
    data["titles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| Judged {
            title: t["title"].as_str().unwrap().to_string(),
            allowed: offsets(&t["allowed"]),
            judged: offsets(&t["judged"]),
            icu4c_forbidden: t["icu4c_forbidden"].as_array().unwrap().len(),
        })
        .collect()
}

/// Code-point offsets in `title` where the lines end (the last line's end excluded, a cut
/// line's end included).
fn cut_offsets(title: &str, lines: &[String]) -> Vec<usize> {
    let chars: Vec<char> = title.chars().collect();
    let mut offsets = Vec::new();
    let mut pos = 0;
    for (i, line) in lines.iter().enumerate() {
        while chars.get(pos) == Some(&' ') {
            pos += 1;
        }
        let text = line.trim_end_matches('…');
        let n = text.chars().count();
        assert_eq!(
            chars[pos..pos + n].iter().collect::<String>(),
            text,
            "{title}"
        );
        pos += n;
        if i + 1 < lines.len() || line.ends_with('…') {
            offsets.push(pos);
        }
    }
    offsets
}

#[test]
fn no_line_break_splits_a_thai_word_at_any_width() {
    let assets = Assets::load(None).unwrap();
    let template = assets.templates.get("default").unwrap();
    let mut slot = template.slot("title").unwrap().clone();
    let mut violations = Vec::new();
    let mut breaks_checked = 0;
    let reference = reference();
    assert_eq!(reference.len(), 20);
    assert_eq!(
        reference.iter().map(|j| j.icu4c_forbidden).sum::<usize>(),
        6
    );
    for width in (400..=1040).step_by(4) {
        slot.width = width as f32;
        for j in &reference {
            let layout = layout_slot(
                &j.title,
                &slot,
                &assets.fonts,
                &mut Vec::new(),
                ogcard::render::Deadline::NONE,
            )
            .unwrap();
            let lines: Vec<String> = layout.lines.iter().map(|l| l.text.clone()).collect();
            for offset in cut_offsets(&j.title, &lines) {
                breaks_checked += 1;
                if j.judged.contains(&offset) && !j.allowed.contains(&offset) {
                    let (l, r) = j
                        .title
                        .split_at(j.title.char_indices().nth(offset).unwrap().0);
                    violations.push(format!("width {width}: …{}|{}…", tail(l), head(r)));
                }
            }
        }
    }
    violations.dedup();
    assert!(
        breaks_checked > 1000,
        "only {breaks_checked} breaks checked"
    );
    assert!(
        violations.is_empty(),
        "{} bad breaks:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

fn tail(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    c[c.len().saturating_sub(6)..].iter().collect()
}

fn head(s: &str) -> String {
    s.chars().take(6).collect()
}
