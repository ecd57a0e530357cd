-- Cycles through pre-signed raw requests (NUL-separated) from the file named by REQUESTS.
--
-- No response() function here: with one, wrk hands every answer's headers and body to
-- LuaJIT, which interns each as a string. docpact's answers all differ (random RequestIds)
-- and the 50,000 requests are strings too, so interning walks long hash chains and wrk's
-- single thread stalls for 3-40 ms at a time, which it then reports as the server's latency.
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

function done(summary, latency, requests)
  io.write(string.format("latency_p50_us=%d\nlatency_p99_us=%d\n", latency:percentile(50), latency:percentile(99)))
end
