#!/usr/bin/env bash
# Starts the motcua server for the browser tests on a fresh SQLite database.
# The server creates, migrates and seeds the database itself on start.
set -euo pipefail

TMP="$(mktemp -d "${TMPDIR:-/tmp}/motcua-e2e.XXXXXX")"
mkdir -p "$TMP/uploads"

# Repo root: the directory above end2end/.
cd "$(dirname "$0")/.."

export DATABASE_URL="sqlite:$TMP/motcua.sqlite"
export MOTCUA_UPLOAD_DIR="$TMP/uploads"
export MOTCUA_BIND="127.0.0.1:${MOTCUA_E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_OUTPUT_NAME=motcua
export MOTCUA_DEMO_DATA=data/demo-procedures.json
# Every browser test looks dossiers up from 127.0.0.1: room for all of them in one window (the
# limit itself is tested in server/tests/tracking_http.rs).
export MOTCUA_LOOKUP_LIMIT=10000

# A real SMTP server on loopback (STARTTLS required) for the messages citizens ask for.
mkfifo "$TMP/sink-stdin"
python3 scripts/lib/smtp_sink.py "$TMP/mail" < "$TMP/sink-stdin" > "$TMP/sink.out" &
sink=$!
exec 3> "$TMP/sink-stdin"
for _ in $(seq 100); do grep -q READY "$TMP/sink.out" 2>/dev/null && break; sleep 0.1; done
read -r _ SMTP_PORT SMTP_CA < "$TMP/sink.out"
export MOTCUA_SMTP_HOST=127.0.0.1 MOTCUA_SMTP_PORT="$SMTP_PORT" MOTCUA_SMTP_CA_FILE="$SMTP_CA"
export MOTCUA_SMTP_FROM="Trung tâm xã Thử Nghiệm <motcua@xa-thunghiem.gov.vn>"
# A browser's push service on loopback (scripts/lib/push_endpoint.py: it decrypts each message
# with http_ece and checks its VAPID signature); the server may post to it besides the real ones.
mkfifo "$TMP/push-stdin"
python3 scripts/lib/push_endpoint.py < "$TMP/push-stdin" > "$TMP/push.out" &
push=$!
exec 4> "$TMP/push-stdin"
for _ in $(seq 100); do grep -q READY "$TMP/push.out" 2>/dev/null && break; sleep 0.1; done
read -r _ PUSH_PORT PUSH_SUBSCRIPTION < "$TMP/push.out"
export MOTCUA_PUSH_HOSTS="127.0.0.1,fcm.googleapis.com,push.services.mozilla.com,notify.windows.com,push.apple.com"
# The counter's certified copies are signed with a test CA's key made here (openssl).
scripts/lib/test-ca "$TMP/signing" >/dev/null
export MOTCUA_SIGNING_P12="$TMP/signing/signer.p12" MOTCUA_SIGNING_P12_PASSWORD=test-password
export MOTCUA_SIGNING_TRUST="$TMP/signing/root.pem"
export MOTCUA_PUBLIC_URL="http://127.0.0.1:${MOTCUA_E2E_PORT:-3100}"
export MOTCUA_NOTIFY_POLL_MS=200
export MOTCUA_PUSH_CONTACT="mailto:motcua@xa-thunghiem.gov.vn"

echo "serve.sh: database in $TMP" >&2
# The browser tests change dossier statuses with `server change-status` on this database.
STATE_FILE="${TMPDIR:-/tmp}/motcua-e2e-${MOTCUA_E2E_PORT:-3100}.env"
echo "DATABASE_URL=$DATABASE_URL" > "$STATE_FILE"
echo "MAIL_DIR=$TMP/mail" >> "$STATE_FILE"
echo "PUSH_URL=http://127.0.0.1:$PUSH_PORT" >> "$STATE_FILE"
echo "PUSH_SUBSCRIPTION=$PUSH_SUBSCRIPTION" >> "$STATE_FILE"
# A province's installation: a second commune center beside the default one (docs/operations.md).
"${MOTCUA_SERVER_BIN:-target/release/server}" create-center --agency 000.00.13.H56 \
  --name "Trung tâm Phục vụ hành chính công xã Bình An" --address "Thôn 2, xã Bình An" \
  --hours "Sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ" --days 123456 >&2
"${MOTCUA_SERVER_BIN:-target/release/server}" &
server=$!
# Playwright stops this script when the tests end: stop the server and remove its state.
trap 'kill "$server" "$sink" "$push" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$TMP" "$STATE_FILE"' EXIT
trap 'exit 0' TERM INT
wait "$server"
