-- wrk script for the check-in benchmark: every request scans the next unused card.
-- Arguments (after --): codes file, first code to use, kiosk token, activity id. Paced load (kiosks
-- scanning at random moments) is bench/paced.py: wrk's delay() fires every connection in step.
local codes, index, token, activity = {}, 0, "", "null"
local counter = 0

function init(args)
  for line in io.lines(args[1]) do codes[#codes + 1] = line end
  index = tonumber(args[2] or "0")
  token = args[3] or ""
  activity = args[4] or "null"
  math.randomseed(os.time() + index)
end

function request()
  index = index + 1
  counter = counter + 1
  local code = codes[(index - 1) % #codes + 1]
  local nonce = string.format("b%d%07d%06d", index, counter, math.random(0, 999999))
  local body = string.format('{"code": "%s", "activity": %s, "nonce": "%s"}', code, activity, nonce)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
