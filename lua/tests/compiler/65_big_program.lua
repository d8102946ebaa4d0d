-- A tiny stack-based calculator: tokenizer, parser to RPN and evaluator.
local Calc = {}

local PREC = { ["+"] = 1, ["-"] = 1, ["*"] = 2, ["/"] = 2, ["%"] = 2, ["^"] = 3 }
local RIGHT = { ["^"] = true }

function Calc.tokenize(src)
  local tokens, pos = {}, 1
  while pos <= #src do
    local c = src:sub(pos, pos)
    if c:match("%s") then
      pos = pos + 1
    elseif c:match("%d") then
      local num = src:match("^%d+%.?%d*", pos)
      tokens[#tokens + 1] = { kind = "num", value = tonumber(num) }
      pos = pos + #num
    elseif PREC[c] or c == "(" or c == ")" then
      tokens[#tokens + 1] = { kind = "op", value = c }
      pos = pos + 1
    else
      error(("unexpected character %q at %d"):format(c, pos), 0)
    end
  end
  return tokens
end

function Calc.to_rpn(tokens)
  local out, stack = {}, {}
  for _, tok in ipairs(tokens) do
    if tok.kind == "num" then
      out[#out + 1] = tok
    elseif tok.value == "(" then
      stack[#stack + 1] = tok
    elseif tok.value == ")" then
      while #stack > 0 and stack[#stack].value ~= "(" do
        out[#out + 1] = table.remove(stack)
      end
      if #stack == 0 then error("unbalanced parentheses", 0) end
      table.remove(stack)
    else
      local p = PREC[tok.value]
      while #stack > 0 do
        local top = stack[#stack].value
        local tp = PREC[top]
        if not tp or tp < p or (tp == p and RIGHT[tok.value]) then break end
        out[#out + 1] = table.remove(stack)
      end
      stack[#stack + 1] = tok
    end
  end
  for i = #stack, 1, -1 do
    if stack[i].value == "(" then error("unbalanced parentheses", 0) end
    out[#out + 1] = stack[i]
  end
  return out
end

local ops = {
  ["+"] = function(a, b) return a + b end,
  ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end,
  ["/"] = function(a, b) return a / b end,
  ["%"] = function(a, b) return a % b end,
  ["^"] = function(a, b) return a ^ b end,
}

function Calc.eval(src)
  local stack = {}
  for _, tok in ipairs(Calc.to_rpn(Calc.tokenize(src))) do
    if tok.kind == "num" then
      stack[#stack + 1] = tok.value
    else
      local b, a = table.remove(stack), table.remove(stack)
      if a == nil or b == nil then error("missing operand", 0) end
      stack[#stack + 1] = ops[tok.value](a, b)
    end
  end
  if #stack ~= 1 then error("malformed expression", 0) end
  return stack[1]
end

for _, e in ipairs({ "1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "10 % 4 - 1" }) do
  local ok, v = pcall(Calc.eval, e)
  print(e, "=", ok and v or ("error: " .. v))
end
return Calc
