-- Scenario 5 (and the hashing storm of scenario 6): POST /api/auth/token with the OAuth2
-- password form, rotating over the seeded users (every one's password is "password").
-- Rows: { username = "user17@example.com" }.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function build(row)
   return wrk.format("POST", "/api/auth/token",
      { ["Content-Type"] = "application/x-www-form-urlencoded" },
      "username=" .. urlencode(row.username) .. "&password=password")
end
