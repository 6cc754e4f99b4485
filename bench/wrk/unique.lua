-- wrk script: every request asks the URL with a query argument of its own (?bench=N), so no
-- per-process cache of BOP's can answer it: the cost of building the answer from scratch.
local counter = 0
local seed = 0

function init(args)
  seed = tonumber(args[1] or "0")
end

function request()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "bench=" .. seed .. "-" .. counter)
end
