//! The container image as the Dockerfile builds it, without a container engine (there is
//! none on these machines): faithful to the Dockerfile as written, not to a copy of it.
//!
//! 1. Build stage: the context is the repository less what `.dockerignore` excludes; each
//!    `COPY` copies from it into the stage's root under `WORKDIR`, and each `RUN` runs there
//!    with `sh -c`, exactly as written. The stage's `target/` is a link to
//!    `target/image-build`, so repeated runs reuse compiled dependencies as Docker's layer
//!    cache would.
//! 2. Runtime stage: a root holding only what the final `FROM` (distroless `cc`) provides
//!    that the binary can use — glibc, libgcc_s, `/etc/passwd` with `nonroot`, `/tmp` —
//!    plus the `COPY --from` files; the binary may link nothing else. It runs there under
//!    `chroot --userspec=65532:65532` with only `$PORT` set: the seed URL renders, the
//!    `HEALTHCHECK` command exits 0, `/readyz` is 200, SIGTERM exits 0, and not one file in
//!    the root changed.
//! 3. The binary is at most 64 MiB.
//!
//! It builds a release binary (minutes) and needs root for `chroot`, so it is `#[ignore]`d
//! in `cargo test`; `.ci/run` runs it with `cargo test -- --ignored`.

mod common;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::*;

const MAX_BINARY_BYTES: u64 = 64 << 20;
/// The uid and gid of distroless's `nonroot` user.
const NONROOT: u32 = 65532;
/// What distroless `cc` (Debian 12) provides that a binary may link: glibc and libgcc_s.
const PROVIDED_LIBRARIES: [&str; 9] = [
    "linux-vdso.so.1",
    "libc.so.6",
    "libm.so.6",
    "libgcc_s.so.1",
    "ld-linux-x86-64.so.2",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libutil.so.1",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One instruction of a Dockerfile: keyword (upper case) and the rest of its line, with
/// continuation lines joined.
#[derive(Debug)]
struct Instruction {
    keyword: String,
    args: String,
}

fn parse_dockerfile(text: &str) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if pending.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if trimmed.starts_with('#') {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(trimmed);
        let (keyword, args) = pending.split_once(' ').unwrap_or((&pending, ""));
        out.push(Instruction {
            keyword: keyword.to_ascii_uppercase(),
            args: args.trim().to_string(),
        });
        pending.clear();
    }
    assert!(
        pending.is_empty(),
        "the Dockerfile ends inside a continued line"
    );
    out
}

/// The stages of a Dockerfile: each starts at a `FROM`.
fn stages(instructions: Vec<Instruction>) -> Vec<Vec<Instruction>> {
    let mut stages: Vec<Vec<Instruction>> = Vec::new();
    for i in instructions {
        if i.keyword == "FROM" {
            stages.push(Vec::new());
        }
        stages
            .last_mut()
            .expect("the Dockerfile starts with FROM")
            .push(i);
    }
    stages
}

/// `.dockerignore` as Docker reads it: patterns relative to the context root, `*` and `?`
/// within a path component, `**` for any number of components; a pattern that matches a
/// directory excludes everything under it.
struct Ignore(Vec<Vec<String>>);

impl Ignore {
    fn load(path: &Path) -> Ignore {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let patterns = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                assert!(
                    !l.starts_with('!'),
                    "exceptions (`{l}`) are not emulated: teach tests/image.rs first"
                );
                l.trim_matches('/').split('/').map(String::from).collect()
            })
            .collect();
        Ignore(patterns)
    }

    fn excludes(&self, relative: &Path) -> bool {
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (1..=parts.len()).any(|n| self.0.iter().any(|p| matches(p, &parts[..n])))
    }
}

fn matches(pattern: &[String], path: &[String]) -> bool {
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (Some(p), _) if p == "**" => {
            matches(&pattern[1..], path) || (!path.is_empty() && matches(pattern, &path[1..]))
        }
        (Some(p), Some(c)) => {
            glob(p.as_bytes(), c.as_bytes()) && matches(&pattern[1..], &path[1..])
        }
        _ => false,
    }
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
        (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => glob(&p[1..], &s[1..]),
        _ => false,
    }
}

/// Copies `from` (a file, or a directory's contents) to `to`, skipping what `ignore`
/// excludes (paths relative to `context`).
fn copy_into(context: &Path, from: &Path, to: &Path, ignore: &Ignore) {
    let relative = from.strip_prefix(context).unwrap();
    if !relative.as_os_str().is_empty() && ignore.excludes(relative) {
        return;
    }
    let meta = std::fs::symlink_metadata(from).unwrap();
    if meta.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_into(context, &entry.path(), &to.join(entry.file_name()), ignore);
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// `root` + an absolute path inside the image.
fn inside(root: &Path, path: &str) -> PathBuf {
    let mut out = root.to_path_buf();
    for c in Path::new(path).components() {
        if let Component::Normal(c) = c {
            out.push(c);
        }
    }
    out
}

/// Runs the build stage; returns its root.
fn build_stage(stage: &[Instruction], scratch: &Path) -> PathBuf {
    let context = repo();
    let ignore = Ignore::load(&context.join(".dockerignore"));
    let root = scratch.join("build-root");
    let _ = std::fs::remove_dir_all(&root);
    let mut workdir = "/".to_string();
    let mut env: Vec<(String, String)> = Vec::new();
    for i in &stage[1..] {
        match i.keyword.as_str() {
            "WORKDIR" => {
                workdir = i.args.clone();
                let dir = inside(&root, &workdir);
                std::fs::create_dir_all(&dir).unwrap();
                // Docker's layer cache, for the stage's target/ (never in the context).
                let cache = context.join("target/image-build");
                std::fs::create_dir_all(&cache).unwrap();
                let link = dir.join("target");
                if !link.exists() {
                    std::os::unix::fs::symlink(&cache, &link).unwrap();
                }
            }
            "ENV" => {
                let (k, v) = i.args.split_once(['=', ' ']).expect("ENV KEY=VALUE");
                env.push((k.to_string(), v.trim_matches('"').to_string()));
            }
            "COPY" => {
                assert!(
                    !i.args.starts_with("--"),
                    "COPY flags are not emulated: {}",
                    i.args
                );
                let words: Vec<&str> = i.args.split_whitespace().collect();
                let (dest, sources) = words.split_last().expect("COPY SRC… DEST");
                let dest = if dest.starts_with('/') {
                    inside(&root, dest)
                } else {
                    inside(&root, &workdir).join(dest)
                };
                for source in sources {
                    let from = context.join(source);
                    assert!(from.exists(), "COPY {source}: not in the context");
                    if *source == "." {
                        copy_into(&context, &context, &dest, &ignore);
                    } else if from.is_dir() {
                        copy_into(&context, &from, &dest, &ignore);
                    } else {
                        let name = from.file_name().unwrap();
                        copy_into(&context, &from, &dest.join(name), &ignore);
                    }
                }
            }
            "RUN" => {
                assert!(
                    !i.args.split_whitespace().any(|w| w.starts_with('/')),
                    "RUN with an absolute path cannot be emulated: {}",
                    i.args
                );
                eprintln!("image: RUN {}", i.args);
                let status = common::shell(&i.args)
                    .current_dir(inside(&root, &workdir))
                    .env_remove("CARGO_TARGET_DIR")
                    .env_remove("CARGO_BUILD_TARGET_DIR")
                    .envs(env.iter().map(|(k, v)| (k, v)))
                    .status()
                    .unwrap();
                assert!(status.success(), "RUN {} failed: {status}", i.args);
            }
            other => panic!("{other} in the build stage is not emulated: teach tests/image.rs"),
        }
    }
    root
}

/// Libraries the binary loads (`ldd`), by name and path on this machine.
fn linked_libraries(binary: &Path) -> Vec<(String, Option<PathBuf>)> {
    let out = Command::new("ldd").arg(binary).output().expect("ldd runs");
    assert!(
        out.status.success(),
        "ldd: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let (name, rest) = l.split_once(" => ").unwrap_or((l, l));
            let path = rest
                .split_whitespace()
                .next()
                .filter(|p| p.starts_with('/'));
            let name = Path::new(name.split_whitespace().next()?)
                .file_name()?
                .to_string_lossy()
                .into_owned();
            Some((name, path.map(PathBuf::from)))
        })
        .collect()
}

/// Every file under `root` with its size, mode and modification time.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u64, u32, SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            out.insert(
                entry.path(),
                (meta.len(), meta.mode(), meta.modified().unwrap()),
            );
            if meta.is_dir() {
                stack.push(entry.path());
            }
        }
    }
    out
}

/// The runtime root distroless `cc` would give, with the stage's `COPY --from` files.
fn runtime_root(
    stage: &[Instruction],
    build_root: &Path,
    scratch: &Path,
) -> (PathBuf, Vec<String>, Vec<String>, u32) {
    let from = &stage[0].args;
    assert!(
        from.starts_with("gcr.io/distroless/cc-debian12"),
        "the runtime stage is distroless cc, which this emulation provides: {from}"
    );
    let root = scratch.join("runtime-root");
    let _ = std::fs::remove_dir_all(&root);
    for dir in ["etc", "tmp", "home/nonroot", "usr/local/bin"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(
        root.join("etc/passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n\
         nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
    )
    .unwrap();
    std::fs::write(
        root.join("etc/group"),
        "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root.join("tmp"), std::fs::Permissions::from_mode(0o1777)).unwrap();
    std::os::unix::fs::chown(root.join("home/nonroot"), Some(NONROOT), Some(NONROOT)).unwrap();

    let mut user = None;
    let (mut entrypoint, mut healthcheck): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for i in &stage[1..] {
        match i.keyword.as_str() {
            "COPY" => {
                let words: Vec<&str> = i.args.split_whitespace().collect();
                let ["--from=build", source, dest] = words[..] else {
                    panic!("only COPY --from=build SRC DEST is emulated: {}", i.args);
                };
                let to = inside(&root, dest);
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(inside(build_root, source), &to).unwrap();
            }
            "USER" => user = Some(i.args.clone()),
            "ENTRYPOINT" => entrypoint = serde_json::from_str(&i.args).expect("ENTRYPOINT [..]"),
            "HEALTHCHECK" => {
                let cmd = i.args.split_once("CMD").expect("HEALTHCHECK … CMD [..]").1;
                healthcheck = serde_json::from_str(cmd.trim()).expect("CMD in exec form");
            }
            "EXPOSE" => assert_eq!(i.args, "3000", "the port ogcard listens on by default"),
            other => panic!("{other} in the runtime stage is not emulated: teach tests/image.rs"),
        }
    }
    let uid = match user.as_deref() {
        Some("nonroot") | Some("65532") | Some("65532:65532") => NONROOT,
        other => panic!("USER {other:?}: the image must run as distroless's nonroot"),
    };
    assert!(!entrypoint.is_empty(), "an ENTRYPOINT");
    let binary = inside(&root, &entrypoint[0]);
    for (name, path) in linked_libraries(&binary) {
        assert!(
            PROVIDED_LIBRARIES.contains(&name.as_str()),
            "the binary links {name}, which distroless cc does not provide"
        );
        if let Some(path) = path {
            let to = inside(&root, path.to_str().unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&path, &to).unwrap();
        }
    }
    // The dynamic loader, at the path the binary names.
    let loader = "/lib64/ld-linux-x86-64.so.2";
    let to = inside(&root, loader);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(loader, &to).unwrap();
    (root, entrypoint, healthcheck, uid)
}

fn chrooted(root: &Path, uid: u32, argv: &[String], port: u16) -> Command {
    // By path: the child's PATH below is the image's, which has no sbin.
    let chroot = ["/usr/sbin/chroot", "/usr/bin/chroot", "/sbin/chroot"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("chroot (coreutils)");
    let mut command = Command::new(chroot);
    command
        .arg(format!("--userspec={uid}:{uid}"))
        .arg(root)
        .args(argv)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("PORT", port.to_string());
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "builds a release binary (minutes) and needs root"]
async fn the_dockerfile_builds_an_image_that_serves_as_shipped() {
    // SAFETY: geteuid has no preconditions and no effects.
    require(&[("root (for chroot)", unsafe { libc::geteuid() } == 0)]);
    let scratch = repo().join("target/image-test");
    std::fs::create_dir_all(&scratch).unwrap();
    let dockerfile = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let stages = stages(parse_dockerfile(&dockerfile));
    assert_eq!(stages.len(), 2, "a build stage and a runtime stage");
    assert!(
        stages[0][0].args.ends_with(" AS build"),
        "{}",
        stages[0][0].args
    );

    let build_root = build_stage(&stages[0], &scratch);
    let (root, entrypoint, healthcheck, uid) = runtime_root(&stages[1], &build_root, &scratch);
    let binary = inside(&root, &entrypoint[0]);
    let size = std::fs::metadata(&binary).unwrap().len();
    eprintln!("image: binary {:.1} MiB", size as f64 / (1 << 20) as f64);
    assert!(size <= MAX_BINARY_BYTES, "binary is {size} bytes");

    let before = snapshot(&root);
    let port = free_port();
    let started = std::time::Instant::now();
    let mut server = spawn_listening(chrooted(&root, uid, &entrypoint, port), port).await;
    eprintln!("image: listening after {:?}", started.elapsed());
    assert_serves_the_seed_card(server.addr).await;
    assert_eq!(
        raw_request(server.addr, "GET", "/readyz", &[]).await.status,
        200
    );
    let health = chrooted(&root, uid, &healthcheck, port).status().unwrap();
    assert!(health.success(), "HEALTHCHECK {healthcheck:?}: {health}");
    terminate(&server);
    let exit = tokio::task::spawn_blocking(move || server.child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(
        snapshot(&root),
        before,
        "the container wrote to its filesystem"
    );
}
