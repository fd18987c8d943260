-- Scenario 9: GET /api/projects/{id}/tasks?q=invoice&sort=-priority&limit=50 (a search of one
-- project's task names and descriptions, most urgent first) with the owner's bearer token.
-- Rows: { token = "...", project = "<uuid>" }. `invoice` is one of the words `api seed` puts
-- in task names (about one task in eight).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

function build(row)
   return wrk.format("GET", "/api/projects/" .. row.project .. "/tasks?q=invoice&sort=-priority&limit=50",
      { ["Authorization"] = "Bearer " .. row.token })
end
