-- Scenario 2: GET /api/projects (the caller's first page of projects) for many users.
-- Rows: { token = "..." }.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

function build(row)
   return wrk.format("GET", "/api/projects", { ["Authorization"] = "Bearer " .. row.token })
end
