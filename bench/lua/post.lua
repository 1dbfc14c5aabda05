-- POSTs of the intake body to bench_data.path, each with its own client_uuid (run prefix,
-- thread id, counter) and an address that routes, rotating over the field workers' tokens.
dofile(os.getenv("BENCH_WRK_LIB"))

local n = 0

function request()
  n = n + 1
  local client_uuid = string.format("%s-%04x-4000-8000-%012x", bench_data.prefix, tid, n)
  local address = pick(bench_data.addresses, n + tid)
  local body = string.format(bench_data.body, client_uuid, address[1], address[2])
  local headers = {
    ["Authorization"] = "Bearer " .. pick(bench_data.tokens, n + tid),
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "buurtsignaal-bench",
    ["Accept-Language"] = "en",
  }
  return wrk.format("POST", bench_data.path, headers, body)
end
