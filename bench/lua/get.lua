-- GET requests with bearer tokens, rotating over bench_data.paths and bench_data.tokens.
dofile(os.getenv("BENCH_WRK_LIB"))

local n = 0

function request()
  n = n + 1
  local headers = {
    ["Authorization"] = "Bearer " .. pick(bench_data.tokens, n),
    ["User-Agent"] = "buurtsignaal-bench",
    ["Accept-Language"] = "en",
  }
  return wrk.format("GET", pick(bench_data.paths, n), headers)
end
