-- wrk's request generator for the floor comparison: each request names benchmark users picked at random,
-- as k6/lib/bench.js does. ROUTE=cache-hit: GET /users/{email}/availability; ROUTE=suggestions: GET
-- /suggestions?users=a,b (two distinct users). USER_COUNT and EMAIL_PREFIX as `bun run bench` seeded them.
local count = tonumber(os.getenv("USER_COUNT") or "200")
local prefix = os.getenv("EMAIL_PREFIX") or "bench-"
local route = os.getenv("ROUTE") or "cache-hit"

local emails = {}
for i = 0, count - 1 do
  emails[i] = string.format("%s%03d@w2meet.test", prefix, i)
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local first = math.random(0, count - 1)
  if route == "suggestions" then
    local second = math.random(0, count - 2)
    if second >= first then second = second + 1 end
    return wrk.format("GET", "/suggestions?users=" .. emails[first] .. "," .. emails[second])
  end
  return wrk.format("GET", "/users/" .. emails[first] .. "/availability")
end
