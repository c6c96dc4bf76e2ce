#!/usr/bin/env bash
# `make loadtest`: serve the app with gunicorn and production settings on 127.0.0.1, warm it up, then send it
# LOADTEST_CLIENTS concurrent clients for LOADTEST_DURATION with wrk, going through the public pages of the
# database in DATABASE_URL. Stops gunicorn when done, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/loadtest_common.sh

CLIENTS=${LOADTEST_CLIENTS:-50}
DURATION=${LOADTEST_DURATION:-120s}
PORT=${LOADTEST_PORT:-8100}

export GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESS_LOG=""
export URLS=${TMPDIR:-/tmp}/loadtest-urls-$$.txt

$PY manage.py collectstatic --noinput -v0
$PY manage.py loadtest_urls > "$URLS"
echo "== $(wc -l < "$URLS") addresses; database: ${DATABASE_URL:-sqlite}; cache: ${CACHE_URL:-local memory}"
[ -n "${CACHE_URL:-}" ] || echo "   (each gunicorn process then has a cache of its own; production uses Redis: CACHE_URL=redis://...)"

.venv/bin/gunicorn -c config/gunicorn.py config.wsgi &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null; rm -f "$URLS"' EXIT
for _ in $(seq 60); do
    $PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/robots.txt')" 2>/dev/null && break
    sleep 1
done

# Between two changes of the records the caches stay filled; the test measures that steady state.
echo "== Warming up: every address once, four at a time"
started=$SECONDS
xargs -P4 -I{} curl -s -o /dev/null -w "%{http_code}\n" "http://127.0.0.1:$PORT{}" < "$URLS" | sort | uniq -c
echo "   in $((SECONDS - started)) s"
echo "== Load test: $CLIENTS clients for $DURATION"
wrk -t2 -c"$CLIENTS" -d"$DURATION" --timeout 10s -s scripts/loadtest.lua "http://127.0.0.1:$PORT" | tee "${LOADTEST_OUTPUT:-/dev/null}"
