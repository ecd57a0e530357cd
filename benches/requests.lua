-- Cycles through pre-signed raw requests (NUL-separated) from the file named by REQUESTS.
local requests = {}
local i = 0

function init(args)
  local f = assert(io.open(os.getenv("REQUESTS"), "rb"))
  local data = f:read("*a")
  f:close()
  for r in string.gmatch(data, "([^%z]+)%z") do
    requests[#requests + 1] = r
  end
end

function request()
  i = i % #requests + 1
  return requests[i]
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("latency_p50_us=%d\nlatency_p99_us=%d\n", latency:percentile(50), latency:percentile(99)))
end
