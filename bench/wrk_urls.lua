-- wrk: request a list of addresses in turn, one address a line in the file given after "--",
-- and print the 95th percentile at the end ("p95_us N"), which wrk's --latency report leaves out.
--
--   wrk -t2 -c16 -d20s --latency -s bench/wrk_urls.lua http://127.0.0.1:8000 -- urls.txt
--
-- The list comes shuffled (bench/pages.py); each wrk thread starts at its own place in it, so
-- the threads do not ask for the same page at the same moment.

dofile("bench/wrk_threads.lua")

function init(args)
   urls = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         table.insert(urls, line)
      end
   end
   if #urls == 0 then
      error("no address in " .. args[1])
   end
   position = first_place(#urls)
end

function request()
   position = position % #urls + 1
   return wrk.format("GET", urls[position])
end

function done(summary, latency, requests)
   io.write(string.format("p95_us %d\n", latency:percentile(95)))
end
