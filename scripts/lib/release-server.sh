# Sourced by the scripts that measure a release build (`measure`, `lighthouse`): starts
# target/release/server on 127.0.0.1:$1 with a fresh SQLite database in a temporary folder
# (`$state`), waits until it answers, and stops it and removes the folder when the script exits.
start_release_server() {
  local port=$1
  state=$(mktemp -d)
  DATABASE_URL="sqlite:$state/motcua.sqlite" MOTCUA_UPLOAD_DIR="$state/uploads" \
    MOTCUA_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    RUST_LOG=warn target/release/server &
  release_server=$!
  trap 'kill $release_server 2>/dev/null; rm -rf "$state"' EXIT
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
}
