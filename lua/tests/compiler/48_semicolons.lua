local a = 1; local b = 2;
print(a); print(b)
do local c = 3; end;
for i = 1, 2 do print(i); end;
local function f() return; end
local function g() return 1; end
