-- each gmatch iterator keeps its own position; iterators can be interleaved
local a = ("1 2 3"):gmatch("%d")
local b = ("1 2 3"):gmatch("%d")
print(a(), a(), b(), a(), b(), b(), a(), b())
local words = {}
for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w:upper() end
print(#words, words[1], words[4])
local t = {}
for a, b in ("k1=v1;k2=v2"):gmatch("(%w+)=(%w+)") do
  for c in a:gmatch(".") do t[#t + 1] = c end
  t[#t + 1] = b
end
print(#t, t[1], t[2], t[3], t[4], t[7])
