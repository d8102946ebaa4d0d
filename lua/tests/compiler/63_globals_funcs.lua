function M() end
function a.b() end
function a.b.c() end
function a.b:c() return self end
function a:b(x, ...) return self, x, ... end
local l = {}
function l.f() end
function l:g() return self end
local up = 1
function l.h() return up end
