//! `ogcard posts` on a copy of a blog folder: the seed post's front-matter (as the blog
//! wrote it, `image:` by hand), a Hugo-style TOML post with CRLF line endings, a post with
//! comments and a slug, and a broken one. Cards and `image:` URLs come out; the URLs fetch
//! the same bytes from the real server; nothing else in the files changes.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const SEED_POST: &str = r#"---
title: "การปฏิวัติแบบโอเพนซอร์สของ DeepSeek: ข้อมูลเชิงลึกจากการประชุมสุดยอด AI แบบปิดประตู"
tags: [AI, โอเพนซอร์ส, DeepSeek, บล็อกเชน, การคำนวณแบบกระจายศูนย์]
authors: [lark]
description: DeepSeek กำลังปฏิวัติวงการ AI ด้วยโมเดลมัลติโหมดแบบโอเพนซอร์ส Janus-Pro
image: "https://host/api/og?title=การปฏิวัติแบบโอเพนซอร์สของ%20DeepSeek:%20…"
---

DeepSeek's body, untouched.
"#;

const HUGO_POST: &str = "+++\r\ntitle = \"การกลั่นโมเดล: ดาบสองคม\"\r\ndate = 2025-02-03\r\ntags = [\"AI\", \"ML\"]\r\nauthor = \"ทีมข่าว\"\r\n+++\r\nBody\r\n";

const COMMENTED_POST: &str = "---\n# written by hand\nslug: /notes/why-rust/\ntitle: 'ทำไมต้อง Rust'   # the headline\nimage: 'https://old.example/og.png' # old card\nextra: {keep: me}\n---\ntext\n";

const BROKEN_POST: &str = "---\ntitle: ok\ntags: [unclosed\n---\nbody\n";

/// A "billion laughs": ten lines whose aliases would expand to 9^10 strings.
fn laughing_post() -> String {
    let mut s =
        String::from("---\ntitle: lol\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s + "---\n"
}

fn blog(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("ogcard-posts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let posts = root.join("blog");
    std::fs::create_dir_all(posts.join("2025-01-29-deepseek")).unwrap();
    std::fs::write(
        posts.join("authors.yml"),
        "lark:\n  name: Lark\n  title: Editor\n",
    )
    .unwrap();
    std::fs::write(posts.join("2025-01-29-deepseek/index.md"), SEED_POST).unwrap();
    std::fs::write(posts.join("distill.md"), HUGO_POST).unwrap();
    std::fs::write(posts.join("why-rust.mdx"), COMMENTED_POST).unwrap();
    std::fs::write(posts.join("broken.md"), BROKEN_POST).unwrap();
    std::fs::write(posts.join("laughs.md"), laughing_post()).unwrap();
    root
}

/// The `image` value of a front-matter (`image: …` or `image = …`), unquoted.
fn image_of(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with("image"))
        .expect("an image line");
    let value = line[5..].trim_start()[1..].trim();
    let value = value.split(" #").next().unwrap().trim();
    value.trim_matches(['"', '\'']).to_string()
}

#[tokio::test]
async fn posts_become_cards_and_image_urls_that_fetch_the_same_bytes() {
    let root = blog("all");
    let posts = root.join("blog");
    let out_dir = root.join("cards");
    let run = |extra: &[&str]| {
        ogcard()
            .arg("posts")
            .arg(&posts)
            .args(["--site", "blog.example.com", "--out-dir"])
            .arg(&out_dir)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&["--write-image-url", "https://cards.example.com"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The broken post is reported with its line, the others go on.
    assert!(!out.status.success());
    assert!(stderr.contains("broken.md:4: "), "{stderr}");
    assert!(
        stderr.contains("laughs.md:4: YAML aliases (`*name`) are not read"),
        "{stderr}"
    );
    assert!(stderr.contains("3 cards rendered"), "{stderr}");

    let app = app();
    for (file, slug, before) in [
        ("2025-01-29-deepseek/index.md", "deepseek", SEED_POST),
        ("distill.md", "distill", HUGO_POST),
        ("why-rust.mdx", "notes-why-rust", COMMENTED_POST),
    ] {
        let after = std::fs::read_to_string(posts.join(file)).unwrap();
        let url = image_of(&after);
        let path = url
            .strip_prefix("https://cards.example.com")
            .expect("on the base");
        let (res, served) = send(&app, "GET", path).await;
        assert_eq!(res.status(), 200, "{file}: {url}");
        let card = std::fs::read(out_dir.join(format!("{slug}.png"))).unwrap();
        assert_eq!(card, served, "{file}: the card and the URL's bytes differ");
        // Every other byte as it was: the old value (or no line) and the new one aside.
        let expected = if before.contains("image") {
            before.replacen(&image_of(before), &url, 1)
        } else {
            let ending = if before.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            let close = before.rfind("+++").unwrap();
            format!(
                "{}image = \"{url}\"{ending}{}",
                &before[..close],
                &before[close..]
            )
        };
        assert_eq!(after, expected, "{file}");
    }
    // The seed post's card: its author through authors.yml, its date from the folder name.
    let seed = std::fs::read_to_string(posts.join("2025-01-29-deepseek/index.md")).unwrap();
    let url = image_of(&seed);
    assert!(url.contains("author=Lark&date=2025-01-29&"), "{url}");
    assert!(url.contains("template=article"), "{url}");
    assert_eq!(
        std::fs::read_to_string(posts.join("broken.md")).unwrap(),
        BROKEN_POST
    );

    // Nothing changed: nothing rendered again, no file written.
    let out = run(&[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 cards rendered"));
    // A changed title renders that card again.
    std::fs::write(
        posts.join("distill.md"),
        HUGO_POST.replace("ดาบสองคม", "สองคม"),
    )
    .unwrap();
    let out = run(&[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 cards rendered"));
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn check_reports_stale_urls_without_writing_and_signs_with_the_key() {
    let root = blog("check");
    let posts = root.join("blog");
    let good: Vec<PathBuf> = ["2025-01-29-deepseek/index.md", "distill.md", "why-rust.mdx"]
        .iter()
        .map(|f| posts.join(f))
        .collect();
    let run = |check: bool| {
        let mut c = ogcard();
        c.env("OGCARD_SIGNING_KEY", "k3y").arg("posts").args(&good);
        c.args(["--write-image-url", "https://cards.example.com", "--quiet"]);
        if check {
            c.arg("--check");
        }
        c.output().unwrap()
    };
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let before: Vec<String> = good.iter().map(|p| read(p)).collect();
    let out = run(true);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for p in &good {
        assert!(
            stderr.contains(&format!("{}: `image:` is missing or stale", p.display())),
            "{stderr}"
        );
    }
    let after: Vec<String> = good.iter().map(|p| read(p)).collect();
    assert_eq!(before, after, "--check writes nothing");

    assert!(run(false).status.success());
    assert!(run(true).status.success(), "up to date after writing");
    // Signed: the real server, with the same key, renders each URL over a socket, and
    // refuses it altered.
    let server = start_server(
        &[],
        &[("OGCARD_SIGNING_KEY", "k3y")],
        std::process::Stdio::inherit(),
    )
    .await;
    for p in &good {
        let url = image_of(&read(p));
        assert!(url.contains("&sig="), "{url}");
        let path = url.strip_prefix("https://cards.example.com").unwrap();
        let res = raw_request(server.addr, "GET", path, &[]).await;
        assert_eq!(res.status, 200, "{url}");
        assert_eq!(res.header("content-type"), Some("image/png"));
        let altered = path.replacen("title=", "title=x", 1);
        assert_eq!(
            raw_request(server.addr, "GET", &altered, &[]).await.status,
            403,
            "{url}"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// Front-matter as blogs really write it, that a line-based editor damaged, and links a
/// walk must not follow: through the real CLI, every file it writes parses with only
/// `image` changed, every file it must not touch is byte for byte as it was, and one bad
/// file is one line while the others are written.
#[test]
fn hostile_front_matter_and_links_never_damage_a_file() {
    let root = std::env::temp_dir().join(format!("ogcard-posts-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let posts = root.join("blog");
    let outside = root.join("outside");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let edited = [
        (
            "triple.md",
            "+++\ntitle = 'Triple'\nimage = '''old'''\n+++\nbody\n",
        ),
        (
            "escaped.md",
            "+++\ntitle = 'Escaped'\nimage = \"a\\\"b\"\n+++\nbody\n",
        ),
        (
            "table.md",
            "+++\ntitle = 'Zola'\n\n[extra]\nlang = 'th'\n+++\nbody\n",
        ),
        (
            "doubled.md",
            "---\ntitle: Quote\nimage: 'it''s'\n---\nbody\n",
        ),
        (
            "block.md",
            "---\ntitle: Block\nimage: >\n  folded\n  old\ntags: [a]\n---\nbody\n",
        ),
    ];
    let untouched = [
        (
            "listed.md",
            "---\ntitle: List\nimage:\n  - a.png\n  - b.png\n---\nbody\n",
        ),
        (
            "hidden.md",
            "---\ntitle: Hidden\nslug: .htaccess\n---\nbody\n",
        ),
    ];
    for (name, text) in edited.iter().chain(&untouched) {
        std::fs::write(posts.join(name), text).unwrap();
    }
    let victim = "---\ntitle: Not yours\n---\nsecret\n";
    std::fs::write(outside.join("victim.md"), victim).unwrap();
    std::os::unix::fs::symlink(outside.join("victim.md"), posts.join("link-out.md")).unwrap();
    std::os::unix::fs::symlink(posts.join("nowhere.md"), posts.join("dangling.md")).unwrap();
    std::os::unix::fs::symlink(posts.join("triple.md"), posts.join("link-in.md")).unwrap();
    std::os::unix::fs::symlink(&outside, posts.join("dir-out")).unwrap();
    // A FIFO named like a post: opening it would block the run for ever.
    let fifo = std::process::Command::new("mkfifo")
        .arg(posts.join("pipe.md"))
        .status()
        .unwrap();
    assert!(fifo.success());

    let url_base = "https://cards.example.com";
    let out = ogcard()
        .arg("posts")
        .arg(&posts)
        .args(["--write-image-url", url_base, "--quiet"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (file, why) in [
        ("link-out.md", "a symbolic link to outside the given paths"),
        ("dir-out", "a symbolic link to outside the given paths"),
        ("dangling.md", "a symbolic link to nothing"),
        ("listed.md", "`image` is a list or a mapping"),
        ("hidden.md", "slug `.htaccess` cannot be a file name"),
        ("pipe.md", "not a regular file"),
    ] {
        assert!(
            stderr.contains(&format!("{file}:")) && stderr.contains(why),
            "{file}: {stderr}"
        );
    }
    // Outside the tree, and through links: nothing changed, and the links are links.
    assert_eq!(
        std::fs::read_to_string(outside.join("victim.md")).unwrap(),
        victim
    );
    for link in ["link-out.md", "dangling.md", "link-in.md", "dir-out"] {
        let meta = std::fs::symlink_metadata(posts.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is still a link");
    }
    for (name, text) in untouched {
        assert_eq!(
            std::fs::read_to_string(posts.join(name)).unwrap(),
            text,
            "{name}"
        );
    }
    // Each edited file parses, `image` is the card's URL at the top level, the rest equal.
    for (name, before) in edited {
        let after = std::fs::read_to_string(posts.join(name)).unwrap();
        let front = |t: &str| {
            let delim = &t[..3];
            t[4..t[4..].find(delim).unwrap() + 4].to_string()
        };
        let (old, new) = (front(before), front(&after));
        if before.starts_with("+++") {
            let mut old: toml::Table = old.parse().unwrap();
            let mut new: toml::Table = new.parse().unwrap();
            let image = new.remove("image").expect("a top-level image");
            assert!(
                image.as_str().unwrap().starts_with(url_base),
                "{name}: {after}"
            );
            old.remove("image");
            assert_eq!(old, new, "{name}: {after}");
        } else {
            use yaml_rust2::{Yaml, YamlLoader};
            let parse = |s: &str| match YamlLoader::load_from_str(s).unwrap().remove(0) {
                Yaml::Hash(h) => h,
                other => panic!("{name}: {other:?}"),
            };
            let (mut old, mut new) = (parse(&old), parse(&new));
            let key = Yaml::String("image".into());
            let image = new.remove(&key).expect("a top-level image");
            assert!(
                image.as_str().unwrap().starts_with(url_base),
                "{name}: {after}"
            );
            old.remove(&key);
            assert_eq!(old, new, "{name}: {after}");
        }
        assert!(after.ends_with("body\n"), "{name}: the body kept");
    }
    // No temporary file left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&posts)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = std::fs::remove_dir_all(&root);
}
