-- Scenarios 1, 6 and 7: GET /api/projects/{id}/tasks?limit=50 (one page of 50 tasks) with the
-- project owner's bearer token. Rows: { token = "...", project = "<uuid>" }.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

function build(row)
   return wrk.format("GET", "/api/projects/" .. row.project .. "/tasks?limit=50",
      { ["Authorization"] = "Bearer " .. row.token })
end
