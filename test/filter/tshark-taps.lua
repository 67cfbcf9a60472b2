-- Evaluates many display filters in one tshark pass: one tap listener per filter (a tap's filter
-- is a display filter, compiled and applied by the same engine as -Y). Prints "index<TAB>frame"
-- for each match, "index<TAB>ERROR<TAB>message" for a filter tshark rejects.
-- Usage: ESPY_FILTERS=file-with-one-filter-per-line tshark -q -r CAPTURE -X lua_script:tshark-taps.lua
-- With ESPY_TAP_PREFIX set (test/support/tshark.ts runs it beside -T fields output), every line
-- starts with that prefix, and a first line "<prefix>READY" says the script ran.
local prefix = os.getenv("ESPY_TAP_PREFIX") or ""
if prefix ~= "" then io.write(prefix, "READY\n") end
local filters = {}
for line in io.lines(os.getenv("ESPY_FILTERS")) do filters[#filters + 1] = line end
for i, f in ipairs(filters) do
  local ok, listener = pcall(Listener.new, "frame", f)
  if ok then
    listener.packet = function(pinfo) io.write(prefix, i, "\t", pinfo.number, "\n") end
  else
    io.write(prefix, i, "\tERROR\t", (tostring(listener):gsub("\n", " ")), "\n")
  end
end
