-- Scenario 8: GET /api/tasks?status=incomplete&sort=dueAt&limit=50 (the caller's incomplete
-- tasks across all their projects, soonest due first) with a user's bearer token.
-- Rows: { token = "...", project = "<uuid>" } (the project is not used).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

function build(row)
   return wrk.format("GET", "/api/tasks?status=incomplete&sort=dueAt&limit=50",
      { ["Authorization"] = "Bearer " .. row.token })
end
