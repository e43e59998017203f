//! The README is product: its commands run and its flag tables are the binary's.
//!
//! - Every ```` ```sh ```` block runs as written with bash in a scratch directory (`ogcard`
//!   on `PATH` is this build; `cargo run --release --` is `ogcard`), unless the line before
//!   it is `<!-- not run by tests/readme.rs: WHY -->`. A line that starts the server runs
//!   in the background on a free port, which `localhost:3000` then means; a block that
//!   asks `localhost:3000` without one gets the server the quick start runs. Each file a
//!   command writes with `-o` must then be a PNG or JPEG.
//! - The configuration table, `ogcard render`'s and `ogcard posts`' tables name exactly the
//!   flags clap has, with the same environment variables and defaults.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

const MARK: &str = "<!-- not run by tests/readme.rs: ";

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// A fenced block: its language, its first line number, its text, and the reason it is
/// not run (from the line before its fence), if any.
struct Block {
    lang: String,
    line: usize,
    text: String,
    not_run: Option<String>,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(lang) = lines[i].strip_prefix("```") {
            let not_run = i
                .checked_sub(1)
                .and_then(|p| lines[p].strip_prefix(MARK))
                .map(|r| r.trim_end_matches("-->").trim().to_string());
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && !lines[end].starts_with("```") {
                end += 1;
            }
            out.push(Block {
                lang: lang.trim().to_string(),
                line: start + 1,
                text: lines[start..end].join("\n"),
                not_run,
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The commands of a shell block: continuation lines joined, comments and blank lines
/// dropped (a trailing `# …` too).
fn commands(block: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in block.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let line = line.split("  #").next().unwrap().trim_end();
        match line.strip_suffix('\\') {
            Some(head) => current.push_str(head),
            None => {
                current.push_str(line);
                out.push(std::mem::take(&mut current));
            }
        }
    }
    out
}

/// Whether a command starts the server: `ogcard` or `cargo run --release` with no
/// subcommand, only flags.
fn starts_the_server(command: &str) -> bool {
    let rest = if let Some(r) = command.strip_prefix("ogcard") {
        r
    } else if let Some(r) = command.strip_prefix("cargo run --release") {
        r.trim_start().strip_prefix("--").unwrap_or(r)
    } else {
        return false;
    };
    let first = rest.split_whitespace().next();
    first.is_none_or(|w| w.starts_with('-'))
}

/// A scratch directory holding what the README's commands refer to: `titles.jsonl` (the
/// README's own batch line), `tests/data/pictures/rocket.jpg`, and a `blog` folder.
fn scratch(name: &str, batch_line: &str) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("ogcard-readme-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tests/data/pictures")).unwrap();
    std::fs::create_dir_all(dir.join("blog/2025-01-29-deepseek")).unwrap();
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_ogcard"), dir.join("bin/ogcard")).unwrap();
    std::fs::write(dir.join("titles.jsonl"), format!("{batch_line}\n")).unwrap();
    std::fs::copy(
        repo.join("tests/data/pictures/rocket.jpg"),
        dir.join("tests/data/pictures/rocket.jpg"),
    )
    .unwrap();
    std::fs::write(
        dir.join("blog/2025-01-29-deepseek/index.md"),
        "---\ntitle: การปฏิวัติแบบโอเพนซอร์สของ DeepSeek\ntags: [ai, open-source]\n---\n\nText.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("blog/distill.md"),
        "+++\ntitle = \"การกลั่นโมเดล: ดาบสองคม\"\ndate = 2025-02-03\n+++\n\nText.\n",
    )
    .unwrap();
    dir
}

/// The bash script a block runs as: the server lines in the background on `port`.
fn script(commands: &[String], port: u16) -> String {
    let mut s = String::from(
        "set -euo pipefail\n\
         trap 'exit 143' TERM\n\
         cargo() {\n\
           if [ \"$1 $2\" = \"run --release\" ]; then shift 2; [ \"${1:-}\" = -- ] && shift; ogcard \"$@\";\n\
           else echo \"the block runs cargo $*: mark it not run\" >&2; return 1; fi\n\
         }\n",
    );
    let mut server = false;
    let needs_server = commands.iter().any(|c| c.contains("localhost:3000"));
    let wait = format!(
        "for _ in $(seq 400); do curl -sf localhost:{port}/readyz >/dev/null && break; sleep 0.025; done\n\
         curl -sf localhost:{port}/readyz >/dev/null || {{ echo 'the server did not get ready' >&2; exit 1; }}\n"
    );
    if needs_server && !commands.iter().any(|c| starts_the_server(c)) {
        s.push_str("ogcard &\nserver=$!\ntrap 'kill $server' EXIT\n");
        s.push_str(&wait);
        server = true;
    }
    for command in commands {
        let command = command.replace("localhost:3000", &format!("localhost:{port}"));
        if starts_the_server(&command) {
            assert!(!server, "two servers in one block");
            s.push_str(&format!(
                "{command} &\nserver=$!\ntrap 'kill $server' EXIT\n{wait}"
            ));
            server = true;
        } else {
            s.push_str(&command);
            s.push('\n');
        }
    }
    s
}

/// The files a command writes with `-o FILE` (not `-`).
fn outputs(command: &str) -> Vec<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w[0] == "-o" && w[1] != "-")
        .map(|w| w[1].to_string())
        .collect()
}

#[test]
fn every_shell_block_runs_as_written_or_says_why_not() {
    let readme = readme();
    let all = blocks(&readme);
    let batch_line = all
        .iter()
        .find(|b| b.lang == "json" && b.text.contains("\"out\""))
        .map(|b| b.text.trim().to_string())
        .expect("the README's batch line");
    let mut ran = 0;
    for (n, block) in all.iter().filter(|b| b.lang == "sh").enumerate() {
        if let Some(why) = &block.not_run {
            assert!(!why.is_empty(), "README line {}: say why", block.line);
            continue;
        }
        let dir = scratch(&n.to_string(), &batch_line);
        let commands = commands(&block.text);
        let port = common::free_port();
        // Bounded: a block that hangs (a server that never answers) fails after 5 minutes.
        let out = std::process::Command::new("timeout")
            .args(["300", "bash", "-c"])
            .arg(script(&commands, port))
            .current_dir(&dir)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    dir.join("bin").display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("PORT", port.to_string())
            .env("RUST_LOG", "warn")
            .env_remove("OGCARD_LISTEN")
            .env_remove("OGCARD_SIGNING_KEY")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README line {}: {}\n{}",
            block.line,
            block.text,
            String::from_utf8_lossy(&out.stderr)
        );
        for file in commands.iter().flat_map(|c| outputs(c)) {
            let bytes = std::fs::read(dir.join(&file))
                .unwrap_or_else(|e| panic!("README line {}: {file}: {e}", block.line));
            assert!(
                bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
                "README line {}: {file} is not a card: {}",
                block.line,
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} blocks ran");
}

/// The `--flag`s (and `-o`) in the first cell of each row of the first table after
/// `heading`, with the row's cells.
fn table_after(readme: &str, heading: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading}"));
    let rows = readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2);
    rows.map(|row| {
        let cells: Vec<String> = row
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().to_string())
            .collect();
        let flags = cells[0]
            .split('`')
            .skip(1)
            .step_by(2)
            .filter_map(|code| code.split_whitespace().next())
            .filter(|f| f.starts_with('-'))
            .map(str::to_string)
            .collect();
        (flags, cells)
    })
    .collect()
}

/// clap's flags for `command`: `--long` (and `-s`), with the env variable and default.
fn clap_flags(command: &clap::Command) -> Vec<(String, Option<String>, Vec<String>)> {
    command
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_global_set())
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .flat_map(|a| {
            let env = a.get_env().map(|e| e.to_string_lossy().into_owned());
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.is_empty())
                .collect();
            let long = a.get_long().map(|l| format!("--{l}"));
            let short = a.get_short().map(|s| format!("-{s}"));
            [long, short]
                .into_iter()
                .flatten()
                .map(move |f| (f, env.clone(), defaults.clone()))
        })
        .collect()
}

#[test]
fn the_flag_tables_are_the_binarys_flags() {
    let readme = readme();
    let root = ogcard::config::Config::command();

    // The server's configuration: flag, environment variable, default, meaning.
    let table = table_after(&readme, "## Configuration");
    let readme_flags: BTreeSet<String> = table.iter().flat_map(|(f, _)| f.clone()).collect();
    let clap = clap_flags(&root);
    let clap_set: BTreeSet<String> = clap.iter().map(|(f, _, _)| f.clone()).collect();
    assert_eq!(readme_flags, clap_set, "the configuration table");
    for (flag, env, defaults) in &clap {
        let (_, cells) = table.iter().find(|(f, _)| f.contains(flag)).unwrap();
        if let Some(env) = env {
            assert_eq!(cells[1], format!("`{env}`"), "{flag}'s variable");
        }
        for default in defaults {
            assert!(
                cells[2].contains(&format!("`{default}`")),
                "{flag}'s default is {default}; the README says {}",
                cells[2]
            );
        }
    }

    for (name, heading) in [
        ("render", "### Static sites: `ogcard render`"),
        ("posts", "### A blog's own files: `ogcard posts`"),
    ] {
        let sub = root.find_subcommand(name).unwrap();
        let readme_flags: BTreeSet<String> = table_after(&readme, heading)
            .into_iter()
            .flat_map(|(f, _)| f)
            .collect();
        let clap_set: BTreeSet<String> = clap_flags(sub).into_iter().map(|(f, _, _)| f).collect();
        assert_eq!(readme_flags, clap_set, "ogcard {name}'s table");
    }
    // Every subcommand is named.
    for sub in root.get_subcommands().filter(|s| s.get_name() != "help") {
        assert!(
            readme.contains(&format!("ogcard {}", sub.get_name())),
            "the README never names ogcard {}",
            sub.get_name()
        );
    }
}

/// The README says how many tests a plain `cargo test` leaves out; that is how many are.
#[test]
fn the_readme_counts_the_ignored_tests() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let ignored: usize = std::fs::read_dir(&tests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .filter(|l| l.trim_start().starts_with("#[ignore"))
                .count()
        })
        .sum();
    let words = [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    ];
    let said = format!("{} tests need more than Rust", words[ignored]);
    assert!(readme().contains(&said), "the README should say {said:?}");
}

/// What the README points at is in a clone: every relative link, and every repository path
/// it names in code (`tests/data/scripts.tsv`), exists; none leaves the repository.
#[test]
fn every_path_the_readme_names_is_in_the_repository() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = readme();
    let links = readme
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next());
    let code = readme.split('`').skip(1).step_by(2).filter(|c| {
        let top = c.split('/').next().unwrap_or("");
        c.contains('/')
            && !c.contains(char::is_whitespace)
            && [
                "tests",
                "scripts",
                "deploy",
                "docs",
                "templates",
                "src",
                "benches",
                "clients",
                "fuzz",
                "fonts",
                "data",
                "examples",
            ]
            .contains(&top)
    });
    let mut checked = 0;
    for path in links.chain(code) {
        // What an install makes (`benches/peers/node_modules`) is not in a clone, by design.
        if path.starts_with("http") || path.starts_with('#') || path.contains("node_modules") {
            continue;
        }
        let path = path.split('#').next().unwrap();
        assert!(
            !path.starts_with('/') && !path.split('/').any(|p| p == ".."),
            "README names {path}, outside the repository"
        );
        // A folder named with its trailing slash, a glob's folder: what is before `*`.
        let path = path.split('*').next().unwrap();
        assert!(
            repo.join(path).exists(),
            "README names {path}, which a clone lacks"
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} paths");
}
