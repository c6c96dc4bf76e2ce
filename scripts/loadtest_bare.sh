#!/usr/bin/env bash
# `make loadtest-bare`: the cached public pages against Django's own speed, in one run with the same gunicorn
# settings (config/gunicorn.py) and production settings as scripts/loadtest.sh. First a bare Django view returning
# a page of the same size through two middleware (devtools/bare.py, not in the production URL conf), then the
# public pages of `manage.py loadtest_urls`, warmed first; wrk with LOADTEST_CLIENTS connections for
# LOADTEST_DURATION each. Prints both requests/s and the ratio; with LOADTEST_ROUNDS=N, N rounds of both in turn and
# the best round of each (on a shared machine a slow round measures the other jobs). Stops gunicorn when done.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/loadtest_common.sh

CLIENTS=${LOADTEST_CLIENTS:-50}
DURATION=${LOADTEST_DURATION:-30s}
PORT=${LOADTEST_PORT:-8100}
ROUNDS=${LOADTEST_ROUNDS:-1}

export GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESS_LOG=""
WORK=$(mktemp -d "${TMPDIR:-/tmp}/loadtest-bare-XXXXXX")
GUNICORN=""
stop() { [ -z "$GUNICORN" ] || { kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true; }; GUNICORN=""; }
trap 'stop; rm -rf "$WORK"' EXIT

serve() {  # serve the WSGI application $1 and wait until $2 answers
    .venv/bin/gunicorn -c config/gunicorn.py --log-level warning "$1" &
    GUNICORN=$!
    for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$PORT$2" && return; sleep 1; done
    echo "gunicorn did not answer $2"; exit 1
}

measure() {  # wrk through the addresses in the file $1, its report kept in $2
    URLS=$1 wrk -t2 -c"$CLIENTS" -d"$DURATION" --timeout 10s -s scripts/loadtest.lua "http://127.0.0.1:$PORT" | tee "$2"
}

$PY manage.py collectstatic --noinput -v0
$PY manage.py loadtest_urls > "$WORK/urls.txt"
echo "/" > "$WORK/bare.txt"
echo "== database: ${DATABASE_URL:-sqlite}; cache: ${CACHE_URL:-local memory}; gunicorn: $($PY -c \
    'import runpy; c = runpy.run_path("config/gunicorn.py"); print(c["workers"], "workers x", c["threads"], "threads")')"
[ -n "${CACHE_URL:-}" ] || echo "   (each gunicorn process then has a cache of its own; production uses Redis: CACHE_URL=redis://...)"

for round in $(seq "$ROUNDS"); do
    echo "== Round $round of $ROUNDS. Bare view: a $($PY -c 'from devtools.bare import PAGE_BYTES; print(PAGE_BYTES)')-byte page through two middleware; $CLIENTS clients for $DURATION"
    serve 'devtools.bare:wsgi_application()' /
    measure "$WORK/bare.txt" "$WORK/bare-report-$round.txt"
    stop

    echo "== Round $round of $ROUNDS. Cached pages: $(wc -l < "$WORK/urls.txt") addresses, warmed first (every address once, four at a time)"
    serve config.wsgi /robots.txt
    xargs -P4 -I{} curl -s -o /dev/null -w "%{http_code}\n" "http://127.0.0.1:$PORT{}" < "$WORK/urls.txt" | sort | uniq -c
    [ "$round" -gt 1 ] || echo "   average page: $(xargs -I{} curl -s -o /dev/null -w "%{size_download}\n" "http://127.0.0.1:$PORT{}" \
        < "$WORK/urls.txt" | awk '{ total += $1 } END { printf "%.0f bytes", total / NR }')"
    echo "== Round $round of $ROUNDS. Cached pages: $CLIENTS clients for $DURATION"
    measure "$WORK/urls.txt" "$WORK/pages-report-$round.txt"
    stop
done

echo "== Cached pages against the bare view"
$PY -m devtools.loadtest_report --bare "$WORK"/bare-report-*.txt --pages "$WORK"/pages-report-*.txt | tee "${LOADTEST_OUTPUT:-/dev/null}"
