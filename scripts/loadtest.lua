-- wrk script for `make loadtest`: the connections of each wrk thread take the addresses listed in the file named
-- by the URLS environment variable (one path per line, from `manage.py loadtest_urls`) in turn, in an order the
-- thread shuffles at start. The list is grouped by kind (the directory's addresses, then the map's, the reports'):
-- walked as listed, every reader would ask for one kind at the same moment, a burst of drawing every pass.
-- At the end it prints requests/s, the latency percentiles and every kind of error.
-- With LOADTEST_COOKIE set (the mixed mode), the paths that start with LOADTEST_COOKIE_PREFIX (the report pages)
-- are requested with that Cookie header: a signed-in session.
-- With LOADTEST_THINK_MS set above 0, each connection is a reader who pauses between two pages, a random time
-- between 0 and twice that many milliseconds (so that much on average); unset or 0, it asks again at once.

local paths = {}
local next_path = 1
local thread_count = 0
local cookie = os.getenv("LOADTEST_COOKIE")
local cookie_prefix = os.getenv("LOADTEST_COOKIE_PREFIX") or ""
local think_ms = tonumber(os.getenv("LOADTEST_THINK_MS") or "0") or 0

function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
end

-- A seed of its own for each thread of each wrk process: two processes started in the same second (the mixed
-- mode's, one per server) would otherwise shuffle alike.
local function seed()
  local urandom = io.open("/dev/urandom", "rb")
  if urandom == nil then return os.time() + offset end
  local bytes = urandom:read(4)
  urandom:close()
  return ((bytes:byte(1) * 256 + bytes:byte(2)) * 256 + bytes:byte(3)) * 256 + bytes:byte(4)
end

function init(args)
  for line in io.lines(os.getenv("URLS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  math.randomseed(seed())
  for i = #paths, 2, -1 do  -- Fisher-Yates
    local j = math.random(i)
    paths[i], paths[j] = paths[j], paths[i]
  end
end

if think_ms > 0 then
  -- wrk calls delay() before each request; the pause is not part of the latency it measures.
  function delay()
    return math.random(0, 2 * think_ms)
  end
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  if cookie and cookie ~= "" and path:sub(1, #cookie_prefix) == cookie_prefix then
    return wrk.format("GET", path, { Cookie = cookie })
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("Requests: %d in %.0f s, %.1f requests/s\n", summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("Latency: median %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("Errors: %d (connect %d, read %d, write %d, timeout %d, HTTP status other than 2xx/3xx %d)\n",
    errors, e.connect, e.read, e.write, e.timeout, e.status))
end
