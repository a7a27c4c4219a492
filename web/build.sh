#!/usr/bin/env bash
# Builds the simulator for the browser into book/src/generated/wasm/ioa-wasm.js: the
# WebAssembly module (base64) and its wasm-bindgen glue in one script, so the book's pages can
# run scenarios even when opened from disk (file://), where a page may not fetch files.
#
# Needs Debian's web toolchain (rustc-web cargo-web rust-web-src lld: a rustc with the standard
# library's source, which the rustup toolchain cannot fetch for wasm32), binaryen (wasm-opt) and
# wasm-bindgen-cli at the version web/Cargo.toml pins. `.ci/run` installs them when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' web/Cargo.toml)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
  echo "web/build.sh: needs wasm-bindgen $version: cargo install wasm-bindgen-cli --version $version" >&2
  exit 1
fi
# Randomness in the browser build is never drawn from the system (every generator is seeded):
# getrandom's `unsupported` backend keeps it from needing JavaScript glue. Reference types are
# off because Debian's wasm-opt (binaryen 108) breaks wasm-bindgen's externref table.
# Size over speed: the module is downloaded by every reader. (Whole-program LTO with one codegen
# unit takes 20 minutes here and saves less than wasm-opt does below.)
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=s \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
  RUSTFLAGS='--cfg getrandom_backend="unsupported" -C target-feature=-reference-types,-multivalue' \
  CARGO_TARGET_DIR=target/wasm \
  /usr/bin/cargo build -q --release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort -p web --lib
out=book/src/generated/wasm
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section \
  --out-dir target/wasm/bindgen target/wasm/wasm32-unknown-unknown/release/web.wasm
wasm-opt -Oz -o target/wasm/bindgen/web_bg.wasm target/wasm/bindgen/web_bg.wasm  # 14 MB -> 11
python3 web/bundle.py target/wasm/bindgen/web.js target/wasm/bindgen/web_bg.wasm > "$out/ioa-wasm.js"
python3 web/bundle.py --scenarios scenarios > "$out/ioa-scenarios.js"
echo "web/build.sh: $(stat -c %s target/wasm/bindgen/web_bg.wasm) bytes of WebAssembly -> $out/ioa-wasm.js"
