-- Scenario 3: POST /api/projects/{id}/tasks {"name": "..."} round-robin over many active
-- projects of many users, all without a maximum of incomplete tasks (so 201 is the only right
-- answer). Rows: { token = "...", project = "<uuid>" }.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

function build(row)
   return wrk.format("POST", "/api/projects/" .. row.project .. "/tasks",
      { ["Authorization"] = "Bearer " .. row.token, ["Content-Type"] = "application/json" },
      '{"name":"Benchmark task"}')
end
