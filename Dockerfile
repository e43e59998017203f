# ogcard's container: a stripped binary (fonts and templates embedded) on distroless.
# tests/image.rs checks this file as written: it lays out the build context as the COPY
# lines and .dockerignore say, runs the RUN lines, and starts the result in a root that
# holds only what distroless cc provides, as uid 65532. Keep RUN paths relative to WORKDIR.

# Build: the same `cargo build --release --locked` that CI runs.
FROM rust:1.95-bookworm AS build
WORKDIR /src
# Dependencies in a layer of their own, rebuilt only when Cargo.toml or Cargo.lock change:
# a stand-in crate with the same manifest compiles every dependency.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
 && echo 'fn main() {}' > src/main.rs \
 && touch src/lib.rs \
 && echo 'fn main() {}' > benches/card.rs \
 && cargo build --release --locked --bin ogcard \
 && rm -rf src benches
# Then the crate: the whole context (.dockerignore keeps out only what no build reads, so a
# new input such as build.rs or data/ is never left behind).
COPY . .
# `touch`: COPY keeps the files' times, which may be older than the stand-in's build.
RUN touch build.rs src/main.rs src/lib.rs \
 && cargo build --release --locked --bin ogcard \
 && strip --strip-all target/release/ogcard -o ogcard

# Run: only the binary, as a non-root user, on glibc and libgcc from distroless cc.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/ogcard /usr/local/bin/ogcard
USER nonroot
EXPOSE 3000
# The binary checks itself: distroless has no shell or curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s CMD ["/usr/local/bin/ogcard", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/ogcard"]
