# Build: the same `cargo build --release --locked` that CI checks compiles.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY benches benches
COPY fonts fonts
COPY templates templates
RUN cargo build --release --locked --bin ogcard

# Run: only the binary (fonts and templates are embedded), as a non-root user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/ogcard /usr/local/bin/ogcard
USER nonroot
EXPOSE 3000
# The binary checks itself: distroless has no shell or curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s CMD ["/usr/local/bin/ogcard", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/ogcard"]
