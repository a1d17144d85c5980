-- bench/http/rate.lua: wrk at a fixed rate. wrk has no rate option, but it calls delay()
-- before each request on a connection and waits that many milliseconds. Each connection
-- waits a random time, exponential with mean WAIT_MS (set by run.sh: connections * 1000 /
-- rate), as if many people each clicked now and then: together their requests arrive about
-- `rate` times a second, in the bursts real arrivals have, and never in lock-step.
local mean = tonumber(os.getenv("WAIT_MS") or "128")
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("seed", thread_count)
end

function init(args)
  math.randomseed(os.time() * 97 + (seed or 0))
end

function delay()
  return math.floor(-mean * math.log(1 - math.random()))
end
