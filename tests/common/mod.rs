//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod adversarial;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const SEED_TITLE: &str =
    "การปฏิวัติแบบโอเพนซอร์สของ DeepSeek: ข้อมูลเชิงลึกจากการประชุมสุดยอด AI แบบปิดประตู";

/// The seed URL's query as the blog writes it: raw Thai bytes, `%20` for spaces.
pub const SEED_QUERY_RAW: &str =
    "title=การปฏิวัติแบบโอเพนซอร์สของ%20DeepSeek:%20ข้อมูลเชิงลึกจากการประชุมสุดยอด%20AI%20แบบปิดประตู";

/// The application state as `cargo run` builds it, with `args` as extra flags.
pub fn state_with(args: &[&str]) -> ogcard::http::AppState {
    let mut argv = vec!["ogcard"];
    argv.extend_from_slice(args);
    let config = ogcard::config::Config::parse_from(argv);
    ogcard::state(&config).expect("assets load")
}

/// The service as `cargo run` builds it, with `args` as extra flags.
pub fn app_with(args: &[&str]) -> Router {
    ogcard::app(state_with(args))
}

pub fn app() -> Router {
    app_with(&[])
}

pub fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub async fn send(app: &Router, method: &str, uri: &str) -> (Response<()>, Vec<u8>) {
    send_with(app, method, uri, &[]).await
}

pub async fn send_with(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
) -> (Response<()>, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let req = req.body(Body::empty()).unwrap();
    let response = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (Response::from_parts(parts, ()), bytes)
}

pub async fn get_json(app: &Router, query: &str) -> serde_json::Value {
    let (res, body) = send(app, "GET", &format!("/api/og?{query}&format=json")).await;
    assert_eq!(res.status(), 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

pub fn line_texts(layout: &serde_json::Value) -> Vec<String> {
    layout["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect()
}

/// Decodes a PNG into (width, height, RGBA8 pixels).
pub fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// A response read off a socket: status, lower-cased headers, body.
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), for tests that go
/// through a real socket or a real proxy.
pub async fn raw_request(
    addr: std::net::SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> RawResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (n, v) in headers {
        request.push_str(&format!("{n}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = raw[split + 4..].to_vec();
    RawResponse {
        status,
        headers,
        body,
    }
}

/// A child process listening on `addr`, killed and reaped when dropped (on every path,
/// a failing assertion included).
pub struct Spawned {
    pub child: std::process::Child,
    pub addr: std::net::SocketAddr,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Spawned {
    /// Waits until the child listens on `addr`'s port; panics with `what` after ~10 s, or
    /// at once if the process has exited.
    ///
    /// A connection succeeding is not enough: the port came from [`free_port`], and a
    /// test running beside this one may have been given the same port and be listening
    /// there, or a connection to a port nobody listens on may connect to itself (TCP
    /// simultaneous open). So the listening socket must be one of the child's own
    /// (`/proc/<pid>/fd` against `/proc/net/tcp*`).
    pub async fn listening(mut self, what: &str) -> Spawned {
        for _ in 0..400 {
            if listens_on(self.child.id(), self.addr.port()) {
                return self;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "{what} exited before it listened on {}: {status}",
                    self.addr
                );
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{what} did not listen on {}", self.addr);
    }
}

/// Whether process `pid` holds a socket listening on TCP `port` (IPv4 or IPv6).
fn listens_on(pid: u32, port: u16) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    let inodes: std::collections::HashSet<String> = fds
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|link| {
            let link = link.to_string_lossy().into_owned();
            Some(
                link.strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect();
    const LISTEN: &str = "0A";
    ["/proc/net/tcp", "/proc/net/tcp6"].iter().any(|table| {
        std::fs::read_to_string(table)
            .unwrap_or_default()
            .lines()
            .skip(1)
            .any(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let local_port = fields
                    .get(1)
                    .and_then(|a| a.rsplit_once(':'))
                    .and_then(|(_, p)| u16::from_str_radix(p, 16).ok());
                local_port == Some(port)
                    && fields.get(3) == Some(&LISTEN)
                    && fields.get(9).is_some_and(|inode| inodes.contains(*inode))
            })
    })
}

/// The value of the metric `name` (a gauge or counter without labels) in a `/metrics` text.
pub fn gauge(metrics: &str, name: &str) -> usize {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} in\n{metrics}"))
        .parse()
        .unwrap()
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real binary serving on a free loopback port (with `RUST_LOG=warn` unless `env`
/// says otherwise), once it accepts connections.
pub async fn start_server(
    args: &[&str],
    env: &[(&str, &str)],
    stderr: std::process::Stdio,
) -> Spawned {
    start_server_in(
        std::process::Command::new(env!("CARGO_BIN_EXE_ogcard")),
        args,
        env,
        stderr,
    )
    .await
}

/// The real binary with its open-file limit (`RLIMIT_NOFILE`) set to `files`, as an
/// operator's `ulimit -n` would.
pub async fn start_server_with_file_limit(files: u32, args: &[&str]) -> Spawned {
    let mut command = std::process::Command::new("bash");
    command.args([
        "-c",
        &format!("ulimit -n {files} && exec \"$0\" \"$@\""),
        env!("CARGO_BIN_EXE_ogcard"),
    ]);
    start_server_in(command, args, &[], std::process::Stdio::inherit()).await
}

async fn start_server_in(
    mut command: std::process::Command,
    args: &[&str],
    env: &[(&str, &str)],
    stderr: std::process::Stdio,
) -> Spawned {
    let port = free_port();
    command
        .args(args)
        .env("OGCARD_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stderr(stderr);
    spawn_listening(command, port).await
}

/// Spawns `command` (standard input closed) and waits until it listens on loopback `port`.
pub async fn spawn_listening(mut command: std::process::Command, port: u16) -> Spawned {
    let child = command.stdin(std::process::Stdio::null()).spawn().unwrap();
    Spawned {
        child,
        addr: ([127, 0, 0, 1], port).into(),
    }
    .listening("ogcard")
    .await
}

/// Polls `value` every 10 ms until it equals `want` or ~`tries` polls have passed; the
/// last value seen.
pub async fn settles<T: PartialEq>(tries: usize, want: T, value: impl Fn() -> T) -> T {
    let mut seen = value();
    for _ in 0..tries {
        if seen == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        seen = value();
    }
    seen
}

/// Sends SIGTERM to a spawned server.
pub fn terminate(server: &Spawned) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The nginx snippet operators deploy (deploy/nginx/ogcard.conf.template) filled in as the
/// nginx image's entrypoint fills it: envsubst of the variables it is given.
pub fn fill_template(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    assert!(
        !out.contains("${"),
        "a variable left unset in the template:\n{out}"
    );
    out
}

/// Asserts that the server at `addr` renders the seed URL as a 1200 px PNG.
pub async fn assert_serves_the_seed_card(addr: std::net::SocketAddr) {
    let res = raw_request(addr, "GET", &format!("/api/og?{SEED_QUERY_RAW}"), &[]).await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(decode_png(&res.body).0, 1200);
}

/// The binary as a command, without the environment's signing key.
pub fn ogcard() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_ogcard"));
    c.env_remove("OGCARD_SIGNING_KEY");
    c
}

/// `sh -c command` as a person's shell runs it: without the variables Cargo sets for a
/// test (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, `OUT_DIR`, …). A `cargo` in the command
/// would see them, and a build script that watches them (ring's) would rebuild its crate
/// and every crate above it, there and again in the next `cargo test` (two minutes of CI).
pub fn shell(command: &str) -> std::process::Command {
    let mut c = std::process::Command::new("sh");
    c.arg("-c").arg(command);
    for (name, _) in std::env::vars_os() {
        let set_by_cargo = name.to_str().is_some_and(|n| {
            [
                "CARGO_PKG_",
                "CARGO_MANIFEST_",
                "CARGO_BIN_",
                "CARGO_CRATE_",
            ]
            .iter()
            .any(|p| n.starts_with(p))
                || matches!(
                    n,
                    "CARGO_PRIMARY_PACKAGE"
                        | "CARGO_TARGET_TMPDIR"
                        | "CARGO_RUSTC_CURRENT_DIR"
                        | "OUT_DIR"
                )
        });
        if set_by_cargo {
            c.env_remove(name);
        }
    }
    c
}

/// Panics, naming each missing `(name, present)` tool and how to install it, unless all
/// are here. Only `#[ignore]`d tests call it (`cargo test` counts them as ignored, never
/// as passed; `cargo test -- --include-ignored` runs them, as `.ci/run` does).
pub fn require(tools: &[(&str, bool)]) {
    let missing: Vec<&str> = tools
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect();
    assert!(
        missing.is_empty(),
        "this test needs {missing:?} (README, Quick start: what the ignored tests need)"
    );
}

/// `tests/browser/node_modules`, installed by `npm ci` (the versions `package-lock.json`
/// pins) on first use, or again when the lock file is newer than the install.
pub fn npm_packages() -> std::path::PathBuf {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    require(&[("node", on_path("node")), ("npm", on_path("npm"))]);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    if installed.is_none() || installed < modified(&dir.join("package-lock.json")) {
        eprintln!("installing tests/browser's npm packages (npm ci)");
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "npm ci in {} failed", dir.display());
    }
    dir.join("node_modules")
}

/// Whether `cmd` is a file in a `PATH` directory.
pub fn on_path(cmd: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(cmd).is_file()))
}

/// Code-point offsets in `title` where `lines` (its layout, trailing spaces dropped) end:
/// the last line's end excluded, a line cut with `…` included.
pub fn cut_offsets(title: &[char], lines: &[String]) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut pos = 0;
    for (i, line) in lines.iter().enumerate() {
        while title.get(pos) == Some(&' ') {
            pos += 1;
        }
        let text = line.trim_end_matches('…');
        let n = text.chars().count();
        assert_eq!(title[pos..pos + n].iter().collect::<String>(), text);
        pos += n;
        if i + 1 < lines.len() || line.ends_with('…') {
            offsets.push(pos);
        }
    }
    offsets
}
