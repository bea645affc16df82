-- wrk script of `./bench serve`: each connection POSTs /v1/search bodies, one JSON per line of the
-- file given after `--`, in turn (each thread starts at its own offset, so threads do not send the
-- same query at the same moment). At the end it prints one machine-readable line:
--   RESULT requests=N seconds=S p50_us=… p95_us=… p99_us=… max_us=… errors=E
-- where errors counts connect, read, write and timeout errors and non-2xx/3xx answers.
-- Requests are formatted once in init, not per request: wrk shares the cores with the server, and
-- what it spends in Lua is taken from the server being measured.
local requests = {}
local next_body = 1
local headers = { ["Content-Type"] = "application/json" }
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", "/v1/search", headers, line)
  end
  if #requests == 0 then
    error("no request bodies in " .. args[1])
  end
  next_body = (offset or 0) % #requests + 1
end

function request()
  local r = requests[next_body]
  next_body = next_body % #requests + 1
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_us=%d p95_us=%d p99_us=%d max_us=%d errors=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout + e.status))
end
