-- Shared by every wrk script of `make bench` (scripts/bench.sh writes the data tables).
--
-- A scenario script defines `build(item)`: it turns one row of the data table into a ready
-- HTTP request (wrk.format). Every wrk thread loads the table in init(), formats each row
-- once, and request() then walks its share of the rows round-robin, so the load spreads over
-- many paths, tokens and bodies without building strings on the hot path.
--
-- Environment (set by scripts/bench.sh):
--   BENCH_DATA          a Lua file that returns the data table (an array of rows)
--   BENCH_THREADS       wrk's -t, to split the rows between the threads
--   BENCH_STATUS_CODES  "1": count responses per status code (costs wrk some CPU per response)
--   BENCH_LABEL         a name printed with the result
--
-- done() prints one line: `BENCH_RESULT {json}` with requests, duration, requests/s,
-- latency percentiles in ms, and errors = non-2xx/3xx responses + socket errors.

local M = {}

local threads = {}
local thread_count = 0

-- Runs in the main Lua state, once per thread, before the threads start.
function setup(thread)
   thread:set("thread_id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local requests_ring = nil
local ring_size = 0
local position = 0
codes = {}

-- Runs in each thread's own Lua state.
function init(args)
   local path = os.getenv("BENCH_DATA")
   assert(path, "BENCH_DATA is not set")
   local rows = dofile(path)
   local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
   local id = thread_id or 0
   requests_ring = {}
   -- Every thread gets the rows with index % nthreads == id (all rows if there are fewer
   -- rows than threads): no two threads touch the same row, which the toggle scenario needs.
   for i, row in ipairs(rows) do
      if #rows < nthreads or (i - 1) % nthreads == id then
         table.insert(requests_ring, build(row))
      end
   end
   ring_size = #requests_ring
   assert(ring_size > 0, "no rows for thread " .. id)
   position = 0
end

-- wrk parses headers and bodies only when the main Lua state defines response(), so it is
-- defined here, at load time, and only when asked for.
if os.getenv("BENCH_STATUS_CODES") == "1" then
   function response(status, headers, body)
      codes[status] = (codes[status] or 0) + 1
   end
end

-- The next request of this thread. `pass` is how many times the thread has gone round its
-- rows (0, 1, 2, ...): the toggle scenario alternates on it.
function M.next_index()
   local index = position % ring_size + 1
   local pass = math.floor(position / ring_size)
   position = position + 1
   return index, pass
end

function M.ring()
   return requests_ring
end

function request()
   local index = M.next_index()
   return requests_ring[index]
end

local function ms(us)
   return us / 1000.0
end

function done(summary, latency, requests)
   local e = summary.errors
   local socket = e.connect + e.read + e.write + e.timeout
   local duration_s = summary.duration / 1e6
   local merged = {}
   for _, thread in ipairs(threads) do
      local c = thread:get("codes")
      if type(c) == "table" then
         for status, n in pairs(c) do
            merged[status] = (merged[status] or 0) + n
         end
      end
   end
   local parts = {}
   for status, n in pairs(merged) do
      table.insert(parts, string.format('"%d":%d', status, n))
   end
   table.sort(parts)
   io.write(string.format(
      'BENCH_RESULT {"label":"%s","requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
      '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
      '"errors":%d,"non_2xx_3xx":%d,"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
      '"status_codes":{%s}}\n',
      os.getenv("BENCH_LABEL") or "", summary.requests, duration_s,
      summary.requests / duration_s,
      ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
      ms(latency.max), ms(latency.mean),
      e.status + socket, e.status, e.connect, e.read, e.write, e.timeout,
      table.concat(parts, ",")))
end

return M
