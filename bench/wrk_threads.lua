-- Shared by bench/wrk_urls.lua and bench/wrk_mix.lua (loaded with dofile; wrk runs from the
-- repository's root): each wrk thread learns its number and the count of threads, so it can
-- start at its own place in the list and the threads do not ask for the same page at once.

threads = {}

function setup(thread)
   thread:set("number", #threads)
   table.insert(threads, thread)
   for _, each in ipairs(threads) do
      each:set("count", #threads)
   end
end

-- Where thread `number` (0, 1, ...) of `count` starts in a list of `size`.
function first_place(size)
   return math.floor(size * number / count) % size
end
