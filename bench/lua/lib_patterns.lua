-- lib: string patterns: string.find (plain and pattern), string.match, gmatch, gsub.
local N = tonumber(arg and arg[1]) or 45000
local find, match, gmatch, gsub = string.find, string.match, string.gmatch, string.gsub

local lines = {}
for i = 1, 200 do
  lines[i] = "user" .. i .. "@host" .. (i % 13) .. ".example.org  age=" .. (i % 90)
    .. "  score: " .. (i * 37 % 1000) .. ".5  tags=[alpha, beta" .. i .. ", gamma]"
end
local text = table.concat(lines, "\n")

local total = 0
for r = 1, N / 100 do
  for w in gmatch(text, "%a+") do total = total + #w end
  for k, v in gmatch(text, "(%w+)=(%w+)") do total = total + #k + #v end
  local s, n = gsub(text, "%d+", "#")
  total = total + #s + n
  s, n = gsub(text, "(%w+)@(%w+)", "%2 at %1")
  total = total + #s + n
  s = gsub(text, "%s+", function(ws) return " " end)
  total = total + #s
  s = gsub(text, "age=(%d+)", { ["10"] = "ten", ["20"] = "twenty" })
  total = total + #s
end

for r = 1, N do
  local line = lines[r % 200 + 1]
  local a, b = find(line, "example", 1, true)
  total = total + a + b
  local user, host = match(line, "^(%w+)@([%w%.]+)")
  total = total + #user + #host
  local score = match(line, "score:%s*([%d%.]+)")
  total = total + tonumber(score)
  local p = find(line, "%[.-%]")
  total = total + p
  if find(line, "^user1%d*@") then total = total + 1 end
end
print(string.format("lib_patterns %d %.1f", N, total))
