local t = {
  a = 1,
  b = f(
    2,
    3
  ),
  c = { 4,
        5 },
}
local s = "x" ..
  "y" ..
  g()
local v = t.a
  + t.b
  * 2
call(
  1,
  2
)
obj
  :method(
    3)
local function long(
  a,
  b)
  return
    a +
    b
end
if v
  and s
then
  print(v)
end
