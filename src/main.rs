use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = ogcard::config::Config::parse();
    if let Some(command) = &config.command {
        return ogcard::run_command(command, &config);
    }
    ogcard::init_logging(config.log_format);

    let started = std::time::Instant::now();
    let state = ogcard::state(&config)?;
    let addr = config.listen_addr()?;
    let listener = ogcard::http::listen::bind(addr, config.listen.is_none())?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, ready_ms = started.elapsed().as_millis() as u64, "listening");

    if let (true, Some(dir)) = (config.watch_templates, &config.templates_dir) {
        tokio::spawn(ogcard::http::reload::watch_templates(
            dir.clone(),
            state.clone(),
            config.default_template.clone(),
            std::time::Duration::from_millis(500),
        ));
        tracing::info!(dir = %dir.display(), "watching templates");
    }
    // Backgrounds are drawn when first needed; the default template's is drawn now,
    // beside serving, as most cards use it.
    let assets = state.assets.get();
    let default = config.default_template.clone();
    std::thread::spawn(move || assets.warm(&default));
    let (ready, metrics) = (state.ready.clone(), state.metrics.clone());
    let app = ogcard::app(state);
    let options = config.serve_options();
    ogcard::http::serve::serve(
        listener,
        app,
        options,
        ready,
        metrics,
        ogcard::shutdown_signal(),
    )
    .await;
    tracing::info!("stopped");
    Ok(())
}
