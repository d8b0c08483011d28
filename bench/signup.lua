-- wrk script for bench/signup.sh: POST /signup, each request with the next address from a file,
-- so the per-address limit (one mail a minute) is never what is measured.
-- Arguments: EMAILS_FILE COOKIE CSRF_TOKEN STEP START (STEP: the number of wrk threads; START: the
-- first address to use, so a warm-up and the measured run use different ones)
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  emails = {}
  for line in io.lines(args[1]) do
    emails[#emails + 1] = line:gsub("@", "%%40")
  end
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = args[2],
  }
  prefix = "csrf=" .. args[3] .. "&email="
  step = tonumber(args[4])
  next_index = tonumber(args[5]) + id
end

function request()
  local email = emails[(next_index % #emails) + 1]
  next_index = next_index + step
  return wrk.format("POST", "/signup", headers, prefix .. email)
end
