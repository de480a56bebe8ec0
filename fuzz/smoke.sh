#!/usr/bin/env bash
# Runs each fuzz target for a short, bounded time; exits non-zero if any of them fails.
# Stable rustc: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z sanitizer flags.
set -euo pipefail

cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-20}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
# Build first so the time limit below is spent fuzzing, not compiling.
cargo fuzz build
status=0
for target in $(cargo fuzz list); do
    echo "== $target (${SECONDS_PER_TARGET}s)"
    # -timeout: one input taking this long is a hang, and fails the run like a crash.
    if ! cargo fuzz run "$target" -- -max_total_time="$SECONDS_PER_TARGET" -timeout=10; then
        echo "FAILED: $target (reproducer under fuzz/artifacts/$target/)" >&2
        status=1
    fi
done
exit "$status"
