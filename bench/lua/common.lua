-- Shared by the bench's wrk scripts: data from the harness, thread ids, and a JSON summary.
-- BENCH_WRK_DATA names a Lua file the harness writes: bench_data = { tokens = {...}, ... }.
dofile(os.getenv("BENCH_WRK_DATA"))

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function pick(list, n)
  return list[(n % #list) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "mean_us": %.1f, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
