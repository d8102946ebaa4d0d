-- A function entered by a tail call is followed by a "tail" pseudo-level.
local function inner()
  for level = 1, 3 do
    local i = debug.getinfo(level, "Slnf")
    print(level, i.what, i.source, i.short_src, i.currentline, i.linedefined,
          i.lastlinedefined, i.name, i.namewhat, i.func ~= nil)
  end
end
local function middle() return inner() end
middle()
print(debug.getinfo(-1, "S").what)
