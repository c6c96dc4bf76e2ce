#!/usr/bin/env bash
# `make loadtest-mixed`: two gunicorn instances (ports LOADTEST_PORT and LOADTEST_PORT+1) sharing the database in
# DATABASE_URL and the Redis cache in CACHE_URL, read by wrk (half the clients each) through the public pages,
# the API and the report pages (signed in), while `manage.py loadtest_writer` edits records through the first
# one's admin every second and imports a cohort every minute, checking every write on both. Prints the summary
# and exits non-zero on any error, any stale read or a p95 of 300 ms or more. Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/loadtest_common.sh

CLIENTS=${LOADTEST_CLIENTS:-50}
DURATION=${LOADTEST_DURATION:-300}
DURATION=${DURATION%s}  # seconds: "300" or "300s"
PORT=${LOADTEST_PORT:-8100}
OTHER_PORT=$((PORT + 1))

command -v redis-cli >/dev/null || { echo "The mixed load test needs redis-cli (apt-get install redis-tools)."; exit 1; }
case "${CACHE_URL:-}" in
    redis://*|rediss://*) ;;
    *) echo "The mixed load test runs two app servers on one Redis cache, as production: set CACHE_URL=redis://..."; exit 1 ;;
esac

# Plain HTTP on 127.0.0.1: cookies that only travel over HTTPS would never come back to the admin.
export DJANGO_SECURE_COOKIES=false
# Every reader comes from 127.0.0.1: the API's per-address limit (120/min) would answer them 429.
export DJANGO_API_RATE_LIMIT=${DJANGO_API_RATE_LIMIT:-1000000/min}
export GUNICORN_ACCESS_LOG="" GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} GUNICORN_THREADS=${GUNICORN_THREADS:-4}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/loadtest-mixed-XXXXXX")
export URLS=$WORK/urls.txt

$PY manage.py collectstatic --noinput -v0
$PY manage.py loadtest_urls --kinds public,api,report > "$URLS"
REPORTS=$($PY -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup(); from django.urls import reverse; print(reverse("reports:index"))')
echo "== $(wc -l < "$URLS") addresses ($(grep -c "^/api/" "$URLS") API, $(grep -c "^$REPORTS" "$URLS") reports); database: ${DATABASE_URL:-sqlite}; cache: $CACHE_URL"
echo "== Two app servers on 127.0.0.1:$PORT and :$OTHER_PORT, $GUNICORN_WORKERS workers x $GUNICORN_THREADS threads each"

ACCESS_FORMAT=$($PY -c 'from devtools.loadtest import ACCESS_LOG_FORMAT; print(ACCESS_LOG_FORMAT)')
PIDS=()
COOKIE=""
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [ -z "$COOKIE" ] || $PY manage.py loadtest_session --delete "$COOKIE"
    if [ "${status:-1}" = 0 ]; then rm -rf "$WORK"; else echo "Logs and reports kept in $WORK"; fi
}
trap cleanup EXIT
for port in "$PORT" "$OTHER_PORT"; do
    # Each request's time in an access log of its own, for the slowest addresses in the summary.
    GUNICORN_BIND=127.0.0.1:$port GUNICORN_ACCESS_LOG=$WORK/access-$port.log \
        GUNICORN_CMD_ARGS="--access-logformat '$ACCESS_FORMAT'" \
        .venv/bin/gunicorn -c config/gunicorn.py config.wsgi > "$WORK/gunicorn-$port.log" 2>&1 &
    PIDS+=($!)
done
for port in "$PORT" "$OTHER_PORT"; do
    for _ in $(seq 60); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/robots.txt" && break
        sleep 1
    done
done
COOKIE=$($PY manage.py loadtest_session)
export LOADTEST_COOKIE=$COOKIE LOADTEST_COOKIE_PREFIX=$REPORTS

# Warm both: the steady state between two writes; the writes then make some pages cold again, as staff do.
echo "== Warming up: every address once on each server, four at a time"
started=$SECONDS
for port in "$PORT" "$OTHER_PORT"; do
    xargs -P4 -I{} curl -s -o /dev/null -b "$COOKIE" -w "%{http_code}\n" "http://127.0.0.1:$port{}" < "$URLS"
done | sort | uniq -c
echo "   in $((SECONDS - started)) s"

# The access logs are opened for appending: emptied, they keep only the load test's requests.
for port in "$PORT" "$OTHER_PORT"; do : > "$WORK/access-$port.log"; done
redis-cli -u "$CACHE_URL" INFO stats > "$WORK/redis-before.txt"
echo "== Load test: $CLIENTS readers ($((CLIENTS / 2)) per server) and a writer (LOADTEST_WRITES=${LOADTEST_WRITES:-on}) for $DURATION s"
[ "${LOADTEST_THINK_MS:-0}" = 0 ] || echo "   each reader pauses ${LOADTEST_THINK_MS} ms on average between two pages (LOADTEST_THINK_MS)"
WRK_PIDS=()
for port in "$PORT" "$OTHER_PORT"; do
    wrk -t1 -c"$((CLIENTS / 2))" -d"${DURATION}s" --timeout 10s -s scripts/loadtest.lua "http://127.0.0.1:$port" \
        > "$WORK/wrk-$port.txt" 2>&1 &
    WRK_PIDS+=($!)
done
writer_status=0
WRITER_ARGS=(--writer "$WORK/writer.json")
if [ "${LOADTEST_WRITES:-on}" = off ]; then
    # The same servers and readers without the writer: what the writes cost, by difference.
    WRITER_ARGS=()
    echo "   (LOADTEST_WRITES=off: no writer)"
else
    $PY manage.py loadtest_writer --base "http://127.0.0.1:$PORT" --other "http://127.0.0.1:$OTHER_PORT" \
        --duration "$DURATION" --json "$WORK/writer.json" || writer_status=$?
fi
for pid in "${WRK_PIDS[@]}"; do wait "$pid" || true; done
redis-cli -u "$CACHE_URL" INFO stats > "$WORK/redis-after.txt"
echo "   (the hit rate counts every client of this Redis server, not only database ${CACHE_URL##*/})"
echo "   gunicorn logged $(cat "$WORK"/gunicorn-*.log | grep -c "Traceback" || true) tracebacks"

echo "== Summary"
status=0
$PY manage.py loadtest_summary --wrk "$PORT=$WORK/wrk-$PORT.txt" --wrk "$OTHER_PORT=$WORK/wrk-$OTHER_PORT.txt" \
    "${WRITER_ARGS[@]}" --redis-before "$WORK/redis-before.txt" --redis-after "$WORK/redis-after.txt" \
    --access-log "$WORK/access-$PORT.log" --access-log "$WORK/access-$OTHER_PORT.log" \
    | tee "${LOADTEST_OUTPUT:-/dev/null}" || status=$?
[ "${LOADTEST_WRITES:-on}" = off ] || [ -s "$WORK/writer.json" ] || { echo "The writer stopped before writing its counts (exit $writer_status)."; status=1; }
exit "$status"
