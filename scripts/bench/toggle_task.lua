-- Scenario 4: PUT /api/projects/{id}/tasks/{number}/complete and .../incomplete, alternating,
-- on tasks of active projects without a maximum. Every thread owns its rows (common.lua), and
-- each pass over them flips every task: a task that starts completed is first made incomplete,
-- then completed again, and so on, so every request changes something.
-- Rows: { token = "...", project = "<uuid>", number = 7, completed = true|false }.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local pairs_ring = {}

function build(row)
   local base = "/api/projects/" .. row.project .. "/tasks/" .. row.number
   local headers = { ["Authorization"] = "Bearer " .. row.token }
   local complete = wrk.format("PUT", base .. "/complete", headers)
   local incomplete = wrk.format("PUT", base .. "/incomplete", headers)
   -- first = the request that changes the task's current state
   if row.completed then
      return { incomplete, complete }
   end
   return { complete, incomplete }
end

function request()
   local index, pass = common.next_index()
   return common.ring()[index][pass % 2 + 1]
end
