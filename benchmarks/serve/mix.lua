-- wrk script for benchmarks/serve/run.py: requests the paths of $TIM_PATHS
-- (one a line) in turn, each thread from its own starting point, and prints
-- one machine-readable line of results.
local paths = {}
for line in io.lines(os.getenv("TIM_PATHS")) do
  paths[#paths + 1] = line
end
local next_path = 0

function init(args)
  math.randomseed(math.floor(os.clock() * 1e6) + #tostring({}))
  next_path = math.random(#paths)
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "TIM requests=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout))
end
