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
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, ready_ms = started.elapsed().as_millis() as u64, "listening");

    let ready = state.ready.clone();
    axum::serve(listener, ogcard::app(state))
        .with_graceful_shutdown(async move {
            ogcard::shutdown_signal().await;
            ready.store(false, std::sync::atomic::Ordering::Relaxed);
        })
        .await?;
    Ok(())
}
