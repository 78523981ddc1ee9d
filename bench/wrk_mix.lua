-- wrk: a mix of requests for the soak (bench/soak.py), one a line in the file given after "--":
--
--   GET /path
--   POST /path field=value&field=value
--
-- A POST carries a fixed CSRF cookie and the same token in its body (Django accepts its
-- unmasked secret), so forms are sent as a browser would. Each thread starts at its own place
-- in the list. At the end it prints how many answers had each class of status ("status 2xx N",
-- "status 429 N", ...), which wrk's own report lumps together as "Non-2xx or 3xx".

dofile("bench/wrk_threads.lua")

local TOKEN = "soaksoaksoaksoaksoaksoaksoaksoak"

function init(args)
   lines = {}
   for line in io.lines(args[1]) do
      local method, path, body = line:match("^(%u+) (%S+) ?(.*)$")
      if method then
         table.insert(lines, { method, path, body })
      end
   end
   if #lines == 0 then
      error("no request in " .. args[1])
   end
   position = first_place(#lines)
   s2, s3, s4, s429, s5 = 0, 0, 0, 0, 0
end

function request()
   position = position % #lines + 1
   local method, path, body = lines[position][1], lines[position][2], lines[position][3]
   if method == "POST" then
      local headers = {
         ["Content-Type"] = "application/x-www-form-urlencoded",
         ["Cookie"] = "csrftoken=" .. TOKEN,
      }
      return wrk.format("POST", path, headers, body .. "&csrfmiddlewaretoken=" .. TOKEN)
   end
   return wrk.format("GET", path)
end

function response(status, headers, body)
   if status == 429 then s429 = s429 + 1
   elseif status >= 500 then s5 = s5 + 1
   elseif status >= 400 then s4 = s4 + 1
   elseif status >= 300 then s3 = s3 + 1
   else s2 = s2 + 1 end
end

function done(summary, latency, requests)
   local totals = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["429"] = 0, ["5xx"] = 0 }
   for _, thread in ipairs(threads) do
      totals["2xx"] = totals["2xx"] + thread:get("s2")
      totals["3xx"] = totals["3xx"] + thread:get("s3")
      totals["4xx"] = totals["4xx"] + thread:get("s4")
      totals["429"] = totals["429"] + thread:get("s429")
      totals["5xx"] = totals["5xx"] + thread:get("s5")
   end
   for class, n in pairs(totals) do
      io.write(string.format("status %s %d\n", class, n))
   end
   io.write(string.format("p95_us %d\n", latency:percentile(95)))
end
