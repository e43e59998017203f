//! Subcommands: `sign`, `healthcheck`, `render` (one card or a JSON Lines batch, the same
//! bytes as the server) and `templates check`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::assets::templates;
use crate::config::{Command, Config, RenderArgs, TemplatesCommand};
use crate::render::{self, Assets, CardPictures, Deadline, Rendered};
use crate::request::{parse_query, CardRequest, Defaults, PICTURES};
use crate::signing;

pub fn run(command: &Command, config: &Config) -> anyhow::Result<()> {
    config.validate()?;
    match command {
        Command::Sign { query, base_url } => {
            let key = config
                .signing_keys
                .first()
                .context("`sign` needs --signing-key or OGCARD_SIGNING_KEY")?;
            let signed = signing::signed_query(key.as_bytes(), query.trim_start_matches('?'))?;
            println!("{}/api/og?{signed}", base_url.trim_end_matches('/'));
            Ok(())
        }
        Command::Healthcheck => healthcheck(config.listen_addr()?),
        Command::Render(args) => render_cards(args, config),
        Command::Posts(args) => crate::posts::run(args, config),
        Command::Fonts => {
            let fonts = crate::assets::fonts::Fonts::load(&config.font_dirs)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "family\tweight\tstyle\taxes\tscripts")?;
            // A variable face is loaded as one instance per weight (and width): one row
            // per file and width, with the weights its instances span.
            let mut rows: Vec<(&crate::assets::fonts::Face, u16, u16)> = Vec::new();
            for face in &fonts.faces {
                match rows.last_mut() {
                    Some((first, _, max))
                        if first.id == face.id && first.stretch == face.stretch =>
                    {
                        *max = face.weight;
                    }
                    _ => rows.push((face, face.weight, face.weight)),
                }
            }
            for (face, min, max) in rows {
                let axes = face.axes();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    face.family,
                    if min == max {
                        min.to_string()
                    } else {
                        format!("{min}–{max}")
                    },
                    match (face.italic, face.color, face.stretch == 100.0) {
                        (true, _, _) => "italic".to_string(),
                        (false, true, _) => "colour".to_string(),
                        (false, false, true) => "normal".to_string(),
                        (false, false, false) =>
                            crate::assets::fonts::stretch_keyword(face.stretch).to_string(),
                    },
                    if axes.is_empty() {
                        "-".to_string()
                    } else {
                        axes.join(", ")
                    },
                    face.scripts().join(", ")
                )?;
            }
            Ok(())
        }
        Command::Templates {
            command: TemplatesCommand::Check { dir },
        } => {
            let fonts = std::sync::Arc::new(crate::assets::fonts::Fonts::load(&config.font_dirs)?);
            let templates = templates::Templates::load(Some(dir), &fonts)?;
            println!(
                "ok: {} valid ({})",
                dir.display(),
                templates.names().collect::<Vec<_>>().join(", ")
            );
            Ok(())
        }
    }
}

/// GET /healthz on the local listener with a plain socket and a short timeout.
fn healthcheck(listen: SocketAddr) -> anyhow::Result<()> {
    let ip = if listen.ip().is_unspecified() {
        std::net::IpAddr::from([127, 0, 0, 1])
    } else {
        listen.ip()
    };
    let addr = SocketAddr::new(ip, listen.port());
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    if head.starts_with(b"HTTP/1.1 200") {
        Ok(())
    } else {
        bail!("{addr}/healthz: {}", String::from_utf8_lossy(&head))
    }
}

fn render_cards(args: &RenderArgs, config: &Config) -> anyhow::Result<()> {
    let (assets, defaults) = crate::assets_and_defaults(config)?;
    match (&args.batch, &args.output) {
        (Some(batch), _) => {
            let out_dir = args.out_dir.as_deref().context("--batch needs --out-dir")?;
            render_batch(batch, out_dir, args, &assets, &defaults, config)
        }
        (None, Some(output)) => {
            let params: Vec<(&str, &str)> = [
                ("title", &args.title),
                ("site", &args.site),
                ("template", &args.template),
                ("format", &args.format),
                ("quality", &args.quality),
                ("dpr", &args.dpr),
                ("size", &args.size),
                ("description", &args.description),
                ("author", &args.author),
                ("date", &args.date),
                ("tags", &args.tags),
                ("theme", &args.theme),
                ("accent", &args.accent),
                ("lang", &args.lang),
                ("image", &args.image),
                ("avatar", &args.avatar),
                ("logo", &args.logo),
            ]
            .into_iter()
            .filter_map(|(n, v)| Some((n, v.as_deref()?)))
            .chain(args.debug.then_some(("debug", "1")))
            .collect();
            let (_, card) = render_params(
                &params,
                &assets,
                &defaults,
                config,
                &LocalPictures::default(),
            )?;
            if output == Path::new("-") {
                std::io::stdout().write_all(&card.bytes)?;
            } else {
                // Like --out-dir, -o makes the folder it names.
                if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                crate::dirs::write_file(output, &card.bytes)
                    .map_err(|why| anyhow::anyhow!("writing {}: {why}", output.display()))?;
            }
            Ok(())
        }
        (None, None) => bail!("give --output (one card) or --batch with --out-dir"),
    }
}

/// A card parameter: name and value.
type Param<'a> = (&'a str, &'a str);

/// The most bytes of a local picture file `ogcard render` reads.
const MAX_LOCAL_PICTURE_BYTES: u64 = 64 << 20;

/// Renders the card `params` describe. A picture parameter that is not an `http(s)` URL is
/// a local file (the operator's own machine is trusted); a URL is fetched under
/// `--image-sources`, as the server would. A picture that cannot be had is an error here,
/// not a fallback: the operator asked for it.
fn render_params(
    params: &[(&str, &str)],
    assets: &Assets,
    defaults: &Defaults,
    config: &Config,
    fitted: &LocalPictures,
) -> anyhow::Result<(CardRequest, Rendered)> {
    let is_url = |v: &str| v.starts_with("http://") || v.starts_with("https://");
    let (local, rest): (Vec<Param>, Vec<Param>) = params
        .iter()
        .partition(|(name, value)| PICTURES.contains(name) && !value.is_empty() && !is_url(value));
    let req = parse_query(&crate::request::query_of(&rest), defaults)?;
    let template = assets.template(&req.template, req.theme, req.size)?;
    let scale = req.dpr.factor();
    let mut pictures = CardPictures::none();
    for (name, path) in local {
        let slot = template
            .pictures
            .iter()
            .find(|s| s.name == name)
            .with_context(|| format!("template `{}` has no `{name}` picture slot", req.template))?;
        let key = (path.to_string(), template.id, slot.name, scale.to_bits());
        let pixmap = match fitted.get(&key) {
            Some(pixmap) => pixmap,
            None => {
                let mut bytes = Vec::new();
                std::fs::File::open(path)
                    .with_context(|| format!("{name}: reading {path}"))?
                    .take(MAX_LOCAL_PICTURE_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .with_context(|| format!("{name}: reading {path}"))?;
                if bytes.len() as u64 > MAX_LOCAL_PICTURE_BYTES {
                    bail!("{name}: {path} is over {MAX_LOCAL_PICTURE_BYTES} bytes");
                }
                let pixmap = crate::pictures::fit_to_slot(&bytes, slot, scale)
                    .map_err(|f| anyhow::anyhow!("{name}: {path}: {f}"))?;
                fitted.keep(key, std::sync::Arc::new(pixmap))
            }
        };
        pictures.set(name, pixmap);
    }
    if req.pictures.iter().any(Option::is_some) {
        let settings = config.pictures();
        // A slot's wait, the fetch, and its decode: each may take up to the timeout.
        let until = Instant::now() + settings.timeout * 3;
        let service = crate::pictures::Pictures::new(settings);
        service
            .check(&req)
            .map_err(|(name, why)| anyhow::anyhow!("{name}: {why}"))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let prepared = runtime.block_on(service.gather(&req, template, req.dpr, until));
        if let Some((name, failure)) = prepared.failures.first() {
            bail!("{name}: {failure}");
        }
        for (name, picture) in PICTURES.iter().zip(prepared.pictures.0) {
            if let Some(picture) = picture {
                pictures.set(name, picture);
            }
        }
    }
    let card = render::card_with(&req, assets, &pictures, Deadline::NONE)?;
    Ok((req, card))
}

/// Local pictures already decoded and fitted to a slot, kept for the rest of a batch (a
/// batch of cards over the same photo decodes it once), within [`LOCAL_PICTURES_BUDGET`].
#[derive(Default)]
struct LocalPictures {
    kept: std::sync::Mutex<(usize, HashMap<PictureKey, Arc<tiny_skia::Pixmap>>)>,
}

/// Path, template (its id: name, size and theme), slot and scale (bits of the `f32`) of a
/// fitted local picture.
type PictureKey = (String, u64, &'static str, u32);

/// What a batch keeps of fitted local pictures: about twenty 1200×630 photos.
const LOCAL_PICTURES_BUDGET: usize = 64 << 20;

impl LocalPictures {
    fn get(&self, key: &PictureKey) -> Option<Arc<tiny_skia::Pixmap>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.1.get(key).cloned()
    }

    /// Keeps `pixmap` under `key` while the budget allows; returns it either way.
    fn keep(&self, key: PictureKey, pixmap: Arc<tiny_skia::Pixmap>) -> Arc<tiny_skia::Pixmap> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = pixmap.data().len();
        if kept.0 + bytes <= LOCAL_PICTURES_BUDGET && !kept.1.contains_key(&key) {
            kept.0 += bytes;
            kept.1.insert(key, Arc::clone(&pixmap));
        }
        pixmap
    }
}

/// One line of a batch file.
struct Job {
    line: usize,
    params: Vec<(String, String)>,
    out: Option<String>,
}

/// A batch line that failed: its number and why.
type Failure = (usize, String);

/// The batch file's jobs, and its lines that are not jobs.
fn read_jobs(batch: &Path) -> anyhow::Result<(Vec<Job>, Vec<Failure>)> {
    let text =
        std::fs::read_to_string(batch).with_context(|| format!("reading {}", batch.display()))?;
    let mut jobs = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match job_of(line) {
            Ok((params, out)) => jobs.push(Job {
                line: i + 1,
                params,
                out,
            }),
            Err(why) => bad.push((i + 1, why)),
        }
    }
    Ok((jobs, bad))
}

/// A batch line's parameters and its `out` name.
type JobLine = (Vec<(String, String)>, Option<String>);

/// One batch line → its parameters and its `out` name.
fn job_of(line: &str) -> Result<JobLine, String> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|_| "not a JSON object".to_string())?;
    let object = value.as_object().ok_or("not a JSON object")?;
    let mut params = Vec::new();
    let mut out = None;
    for (key, v) in object {
        let v = v
            .as_str()
            .ok_or_else(|| format!("`{key}` must be a string"))?;
        if key == "out" {
            // A bare file name: batch files never write outside --out-dir.
            if !crate::dirs::is_file_name(v) {
                return Err("`out` must be a plain file name (no `/`, not hidden)".into());
            }
            out = Some(v.to_string());
        } else {
            params.push((key.clone(), v.to_string()));
        }
    }
    Ok((params, out))
}

fn render_batch(
    batch: &Path,
    out_dir: &Path,
    args: &RenderArgs,
    assets: &Assets,
    defaults: &Defaults,
    config: &Config,
) -> anyhow::Result<()> {
    let (jobs, bad_lines) = read_jobs(batch)?;
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let workers = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, 256);
    let progress = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(jobs.len() as u64)
    };
    let started = Instant::now();
    let pictures = LocalPictures::default();
    let results = crate::parallel::map_in_order(&jobs, workers, |job| {
        // A panic is this line's failure, not the batch's end.
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            render_job(job, out_dir, assets, defaults, config, &pictures)
        }));
        progress.inc(1);
        match rendered {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some((job.line, format!("{e:#}"))),
            Err(_) => Some((job.line, "the render panicked".to_string())),
        }
    });
    let mut failures: Vec<Failure> = results.into_iter().flatten().collect();
    progress.finish_and_clear();
    let done = jobs.len() - failures.len();
    failures.extend(bad_lines);
    failures.sort();
    for (line, why) in &failures {
        eprintln!("{}:{line}: {why}", batch.display());
    }
    eprintln!(
        "rendered {done} of {} cards into {} in {:.2} s with {workers} threads",
        done + failures.len(),
        out_dir.display(),
        started.elapsed().as_secs_f64()
    );
    if !failures.is_empty() {
        bail!(
            "{} of the batch's lines failed (listed above)",
            failures.len()
        );
    }
    Ok(())
}

fn render_job(
    job: &Job,
    out_dir: &Path,
    assets: &Assets,
    defaults: &Defaults,
    config: &Config,
    pictures: &LocalPictures,
) -> anyhow::Result<()> {
    let params: Vec<(&str, &str)> = job
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (req, card) = render_params(&params, assets, defaults, config, pictures)?;
    let name = job
        .out
        .clone()
        .unwrap_or_else(|| format!("{:05}.{}", job.line, req.format.as_str()));
    let path: PathBuf = out_dir.join(name);
    crate::dirs::write_file(&path, &card.bytes)
        .map_err(|why| anyhow::anyhow!("writing {}: {why}", path.display()))
}
