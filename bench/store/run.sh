#!/usr/bin/env bash
# bench/store: the store's write speed (bench_store_upsert): 1M transactions-shaped rows new,
# unchanged and updated, a narrow entity, and plain SQLite as the baseline.
# Usage: bench/store/run.sh BUILD_DIR [ATTAIN_BINARY]
set -euo pipefail
build=${1:?usage: bench/store/run.sh BUILD_DIR}
"$build/bench/bench_store_upsert" "${BENCH_STORE_ROWS:-1000000}"
