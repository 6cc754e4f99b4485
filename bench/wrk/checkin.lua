-- wrk script for the check-in benchmark: every request scans the next unused card.
-- Arguments (after --): codes file, first code to use, kiosk token, activity id, pause in ms
-- between a connection's requests (0: as fast as possible; 500: a kiosk scanning twice a second).
local codes, index, token, activity, pause = {}, 0, "", "null", 0
local counter = 0

function init(args)
  for line in io.lines(args[1]) do codes[#codes + 1] = line end
  index = tonumber(args[2] or "0")
  token = args[3] or ""
  activity = args[4] or "null"
  pause = tonumber(args[5] or "0")
  math.randomseed(os.time() + index)
end

function delay()
  return pause
end

function request()
  index = index + 1
  counter = counter + 1
  local code = codes[(index - 1) % #codes + 1]
  local nonce = string.format("b%d%07d%06d", index, counter, math.random(0, 999999))
  local body = string.format('{"code": "%s", "activity": %s, "nonce": "%s"}', code, activity, nonce)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
