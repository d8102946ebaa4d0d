//! The Redis scripting libraries (`cjson`, `cmsgpack`, `bit`, `struct`) and read-only tables,
//! checked against Redis 7.0: every expected value below is what `redis-server` 7.0.15 answered to
//! `EVAL` of the same script (prelude + case), recorded by running the scripts on it.
//!
//! Each case is the body of a function whose results (or error) the prelude renders as text:
//! strings quoted with non-printable bytes as `\xNN`, numbers with `%.17g`, tables with sorted
//! keys, and `e(f, ...)` renders one protected call as `ok: ...` or `err: ...`. The state is set up
//! as Redis sets up its scripting state: the libraries installed, then every table reachable from
//! the globals, and the string metatable, made read-only. To re-check a case on Redis, send
//! `EVAL "<PRELUDE>return try(function() <body> end)" 0` (the last line differs only in how the
//! result leaves the script, so error positions match).

use ferrous_lua::callback::{Action, NativeResult, Stack};
use ferrous_lua::function::NativeClosure;
use ferrous_lua::stdlib::redis::{open_redis_libs, set_readonly_recursively};
use ferrous_lua::table::Table;
use ferrous_lua::value::Value;
use ferrous_lua::vm::Ctx;
use ferrous_lua::Lua;

/// Renders results as text (identical to the script sent to Redis).
const PRELUDE: &str = r#"local function esc(s) return (string.gsub(s, '[^%w%p ]', function(c) return string.format('\\x%02x', string.byte(c)) end)) end
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end
local show
local function dump(t, depth) if depth > 4 then return '{...}' end local keys = {} for k in pairs(t) do keys[#keys + 1] = k end table.sort(keys, function(a, b) return type(a) .. tostring(a) < type(b) .. tostring(b) end) local parts = {} for _, k in ipairs(keys) do parts[#parts + 1] = '[' .. show(k, depth + 1) .. ']=' .. show(t[k], depth + 1) end return '{' .. table.concat(parts, ',') .. '}' end
show = function(v, depth) local ty = type(v) if ty == 'string' then return '"' .. esc(v) .. '"' elseif ty == 'number' then return string.format('%.17g', v) elseif ty == 'table' then return dump(v, depth or 0) elseif ty == 'nil' or ty == 'boolean' then return tostring(v) else return ty end end
local function results(...) local n = select('#', ...) local parts = {} for i = 1, n do parts[i] = show((select(i, ...))) end return table.concat(parts, ', ') end
local function finish(ok, ...) if ok then return results(...) end return 'error: ' .. esc(tostring((...))) end
local function try(f) return finish(pcall(f)) end
local function e(f, ...) local function wrap(ok, ...) if ok then return 'ok: ' .. results(...) end return 'err: ' .. esc(tostring((...))) end return wrap(pcall(f, ...)) end
"#;

/// Stores the rendered result in the registry (the globals are read-only).
fn report<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let _ = ctx
        .state
        .registry
        .set(ctx.mc, ctx.str("result"), stack.get(0));
    stack.clear();
    Ok(Action::Return)
}

/// A state configured like Redis's scripting state.
fn redis_like_state() -> Lua {
    let lua = Lua::new();
    lua.mutate(|ctx| {
        open_redis_libs(ctx);
        let f = NativeClosure::function(ctx.mc, "__report", report, Vec::new());
        let _ = ctx.globals().set(ctx.mc, ctx.str("__report"), f);
        set_readonly_recursively(ctx, ctx.globals());
        if let Some(mt) = ctx.metatable(ctx.str("")) {
            set_readonly_recursively(ctx, mt);
        }
    });
    lua
}

/// Runs one case and returns its rendering.
fn run_case(body: &str) -> String {
    let mut lua = redis_like_state();
    let source = format!("{PRELUDE}__report(try(function() {body} end))\n");
    if let Err(e) = lua.exec(source.as_bytes(), b"@user_script", &[]) {
        return format!("chunk failed: {:?}", e.value);
    }
    lua.mutate(|ctx| match ctx.state.registry.get(ctx.str("result")) {
        Value::String(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
        other => format!("no result: {other:?}"),
    })
}

/// Runs every case of a group, failing with the list of mismatches.
fn check(cases: &[(&str, &str, &str)]) {
    let mut failures = Vec::new();
    for &(name, body, expected) in cases {
        let got = run_case(body);
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ from Redis:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn cjson_matches_redis() {
    check(&[
        (
            "module_fields",
            r#"return cjson._NAME, cjson._VERSION, type(cjson.null), type(cjson.new)"#,
            r#""cjson", "2.1.0", "userdata", "function""#,
        ),
        (
            "defaults",
            r#"local c = cjson.new() return c.encode_max_depth(), c.decode_max_depth(), c.encode_invalid_numbers(), c.decode_invalid_numbers(), c.encode_keep_buffer(), c.encode_number_precision(), c.encode_sparse_array()"#,
            r#"1000, 1000, false, true, true, 14, false, 2, 10"#,
        ),
        (
            "scalars",
            r#"return cjson.encode(1), cjson.encode('x'), cjson.encode(true), cjson.encode(false), cjson.encode(nil), cjson.encode(cjson.null)"#,
            r#""1", ""x"", "true", "false", "null", "null""#,
        ),
        (
            "empty_table_is_object",
            r#"return cjson.encode({}), cjson.encode({{}, {{}}})"#,
            r#""{}", "[{},[{}]]""#,
        ),
        (
            "arrays",
            r#"return cjson.encode({1, 2, 3}), cjson.encode({1, 'a', true, {2}}), cjson.encode({1, 2, nil, 4})"#,
            r#""[1,2,3]", "[1,"a",true,[2]]", "[1,2,null,4]""#,
        ),
        (
            "object_single",
            r#"return cjson.encode({a = 1}), cjson.encode({[1.5] = 'x'}), cjson.encode({[-1] = 2}), cjson.encode({[0] = 1})"#,
            r#""{"a":1}", "{"1.5":"x"}", "{"-1":2}", "{"0":1}""#,
        ),
        (
            "object_order_5_1",
            r#"return cjson.encode({a = 1, b = 2, c = 3, d = 4, hello = 'world', [10] = 1})"#,
            r#""{"a":1,"c":3,"b":2,"d":4,"10":1,"hello":"world"}""#,
        ),
        (
            "mixed_keys_object",
            r#"return cjson.encode({1, 2, x = 3})"#,
            r#""{"1":1,"2":2,"x":3}""#,
        ),
        (
            "sparse_rules",
            r#"return cjson.encode({[1] = 1, [2] = 2, [10] = 3}), e(cjson.encode, {[1] = 1, [2] = 2, [11] = 3}), e(cjson.encode, {[20] = 1})"#,
            r#""[1,2,null,null,null,null,null,null,null,3]", "err: Cannot serialise table: excessively sparse array", "err: Cannot serialise table: excessively sparse array""#,
        ),
        (
            "sparse_convert",
            r#"local c = cjson.new() c.encode_sparse_array(true) return c.encode({[1] = 1, [20] = 2}), c.encode_sparse_array()"#,
            r#""{"1":1,"20":2}", true, 2, 10"#,
        ),
        (
            "sparse_ratio_zero",
            r#"local c = cjson.new() return c.encode_sparse_array(false, 0), c.encode({[30] = 1})"#,
            r#"false, "[null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,1]""#,
        ),
        (
            "sparse_safe",
            r#"local c = cjson.new() c.encode_sparse_array(nil, nil, 50) return c.encode({[30] = 1})"#,
            r#""[null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,1]""#,
        ),
        (
            "sparse_huge_key",
            r#"return cjson.encode({[2^40] = 1}), cjson.encode({[2^31] = true})"#,
            r#""{"1099511627776":1}", "{"2147483648":true}""#,
        ),
        (
            "numbers",
            r#"return cjson.encode({0.1, 1e100, -0.0, 123456789012345678, 3.14159265358979, 1e-7, 2^53, -1.5, 100, 1e15, 1e16})"#,
            r#""[0.1,1e+100,-0,1.2345678901235e+17,3.1415926535898,1e-07,9.007199254741e+15,-1.5,100,1e+15,1e+16]""#,
        ),
        (
            "number_precision",
            r#"local c = cjson.new() return c.encode_number_precision(3), c.encode({3.14159, 1234567, 0.0001234})"#,
            r#"3, "[3.14,1.23e+06,0.000123]""#,
        ),
        (
            "number_precision_bad",
            r#"local c = cjson.new() return e(c.encode_number_precision, 15)"#,
            r#""err: bad argument #1 to '?' (expected integer between 1 and 14)""#,
        ),
        (
            "number_precision_zero",
            r#"local c = cjson.new() return e(c.encode_number_precision, 0)"#,
            r#""err: bad argument #1 to '?' (expected integer between 1 and 14)""#,
        ),
        (
            "nan_inf_refused",
            r#"return e(cjson.encode, 0/0), e(cjson.encode, 1/0), e(cjson.encode, {-1/0}), e(cjson.encode, {[1/0] = 1})"#,
            r#""err: Cannot serialise number: must not be NaN or Inf", "err: Cannot serialise number: must not be NaN or Inf", "err: Cannot serialise number: must not be NaN or Inf", "err: Cannot serialise number: must not be NaN or Inf""#,
        ),
        (
            "nan_inf_on",
            r#"local c = cjson.new() return c.encode_invalid_numbers(true), c.encode({0/0, 1/0, -1/0})"#,
            r#"true, "[nan,inf,-inf]""#,
        ),
        (
            "nan_inf_null",
            r#"local c = cjson.new() return c.encode_invalid_numbers('null'), c.encode({0/0, 1/0, -1/0, 2})"#,
            r#""null", "[null,null,null,2]""#,
        ),
        (
            "invalid_numbers_options",
            r#"local c = cjson.new() return c.encode_invalid_numbers('on'), c.encode_invalid_numbers('off'), e(c.encode_invalid_numbers, 'x'), e(c.encode_invalid_numbers, 1), e(c.encode_invalid_numbers, {})"#,
            r#"true, false, "err: bad argument #1 to '?' (invalid option 'x')", "err: bad argument #1 to '?' (invalid option '1')", "err: bad argument #1 to '?' (string expected, got table)""#,
        ),
        (
            "escapes",
            r#"return cjson.encode('a/b"c\\d\0\1\8\9\10\11\12\13\31 \127\128\255')"#,
            r#"""a\/b\"c\\d\u0000\u0001\b\t\n\u000b\f\r\u001f \u007f\x80\xff"""#,
        ),
        (
            "unicode_passthrough",
            r#"return cjson.encode('h\195\169llo \226\130\172')"#,
            r#"""h\xc3\xa9llo \xe2\x82\xac"""#,
        ),
        (
            "unsupported_types",
            r#"return e(cjson.encode, function() end), e(cjson.encode, {f = function() end}), e(cjson.encode, coroutine.create(function() end))"#,
            r#""err: Cannot serialise function: type not supported", "err: Cannot serialise function: type not supported", "err: Cannot serialise thread: type not supported""#,
        ),
        (
            "bad_keys",
            r#"return e(cjson.encode, {[true] = 1}), e(cjson.encode, {[{}] = 1})"#,
            r#""err: Cannot serialise boolean: table key must be a number or string", "err: Cannot serialise table: table key must be a number or string""#,
        ),
        (
            "encode_arg_count",
            r#"return e(cjson.encode), e(cjson.encode, 1, 2)"#,
            r#""err: bad argument #1 to '?' (expected 1 argument)", "err: bad argument #1 to '?' (expected 1 argument)""#,
        ),
        (
            "encode_depth_default",
            r#"local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end local ok = e(cjson.encode, t) c[1] = {} return ok, e(cjson.encode, t)"#,
            r#""ok: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{}]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"", "err: Cannot serialise, excessive nesting (1001)""#,
        ),
        (
            "encode_depth_setting",
            r#"local c = cjson.new() c.encode_max_depth(3) return c.encode({{{1}}}), e(c.encode, {{{{1}}}}), e(c.encode, {a = {b = {c = {}}}})"#,
            r#""[[[1]]]", "err: Cannot serialise, excessive nesting (4)", "err: Cannot serialise, excessive nesting (4)""#,
        ),
        (
            "encode_depth_stack_array",
            r#"local c = cjson.new() c.encode_max_depth(100000) local t = {} local x = t for i = 1, 9000 do x[1] = {} x = x[1] end return e(c.encode, t)"#,
            r#""err: Cannot serialise, excessive nesting (7998)""#,
        ),
        (
            "encode_depth_stack_object",
            r#"local c = cjson.new() c.encode_max_depth(100000) local t = {} local x = t for i = 1, 9000 do x.a = {} x = x.a end return e(c.encode, t)"#,
            r#""err: Cannot serialise, excessive nesting (4000)""#,
        ),
        (
            "encode_cycle",
            r#"local t = {} t[1] = t return e(cjson.encode, t)"#,
            r#""err: Cannot serialise, excessive nesting (1001)""#,
        ),
        (
            "config_errors",
            r#"local c = cjson.new() return e(c.encode_max_depth, 0), e(c.encode_max_depth, 1, 2), e(c.encode_max_depth, 'x'), e(c.encode_sparse_array, true, -1), e(c.encode_sparse_array, 1), e(c.encode_sparse_array, true, 2, 3, 4), e(c.decode_max_depth, 2^32 + 5)"#,
            r#""err: bad argument #1 to '?' (expected integer between 1 and 2147483647)", "err: bad argument #2 to '?' (found too many arguments)", "err: bad argument #1 to '?' (number expected, got string)", "err: bad argument #1 to '?' (expected integer between 0 and 2147483647)", "err: bad argument #1 to '?' (invalid option '1')", "err: bad argument #4 to '?' (found too many arguments)", "ok: 5""#,
        ),
        (
            "keep_buffer",
            r#"local c = cjson.new() return c.encode_keep_buffer(false), c.encode_keep_buffer(), c.encode({1}), e(c.encode_keep_buffer, 'on'), e(c.encode_keep_buffer, 1)"#,
            r#"false, false, "[1]", "ok: true", "err: bad argument #1 to '?' (invalid option '1')""#,
        ),
        (
            "new_is_independent",
            r#"local c = cjson.new() c.encode_max_depth(5) return c.encode_max_depth(), cjson.encode_max_depth(), c.null == cjson.null"#,
            r#"5, 1000, true"#,
        ),
        (
            "decode_scalars",
            r#"return cjson.decode('1'), cjson.decode('"x"'), cjson.decode('true'), cjson.decode('false'), cjson.decode('null') == cjson.null, cjson.decode('  -1.5e3  ')"#,
            r#"1, "x", true, false, true, -1500"#,
        ),
        (
            "decode_containers",
            r#"return cjson.decode('[1,2,[3,{"a":[]}],{}]')"#,
            r#"{[1]=1,[2]=2,[3]={[1]=3,[2]={["a"]={}}},[4]={}}"#,
        ),
        (
            "decode_object",
            r#"return cjson.decode('{"a":1,"b":[true,false,null],"c":{"d":"e"}}')"#,
            r#"{["a"]=1,["b"]={[1]=true,[2]=false,[3]=userdata},["c"]={["d"]="e"}}"#,
        ),
        (
            "decode_duplicate_keys",
            r#"return cjson.decode('{"a":1,"a":2}')"#,
            r#"{["a"]=2}"#,
        ),
        (
            "decode_numbers",
            r#"return cjson.decode('[0, -0, 1e2, 1E-2, 0.5, 123456789012345678901234567890, 1e400, -1e400]')"#,
            r#"{[1]=0,[2]=-0,[3]=100,[4]=0.01,[5]=0.5,[6]=1.2345678901234568e+29,[7]=inf,[8]=-inf}"#,
        ),
        (
            "decode_invalid_numbers_default",
            r#"local t = cjson.decode('[0x10, 012, +5, nan, NaN, inf, -inf, Infinity, -Infinity]') return t[1], t[2], t[3], tostring(t[4]), tostring(t[5]), t[6], t[7], t[8], t[9]"#,
            r#"16, 12, 5, "nan", "nan", inf, -inf, inf, -inf"#,
        ),
        (
            "decode_invalid_numbers_off",
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return e(c.decode, '0x10'), e(c.decode, '[012]'), e(c.decode, '+5'), e(c.decode, 'nan'), e(c.decode, '-inf'), e(c.decode, '[1, Infinity]'), c.decode('-0')"#,
            r#""err: Expected value but found invalid number at character 1", "err: Expected value but found invalid number at character 2", "err: Expected value but found invalid token at character 1", "err: Expected value but found invalid token at character 1", "err: Expected value but found invalid number at character 1", "err: Expected value but found invalid token at character 5", -0"#,
        ),
        (
            "decode_unicode",
            r#"return cjson.decode('"\\u00e9\\u20ac\\ud83d\\ude00\\u0041\\u0000z"')"#,
            r#""\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80A\x00z""#,
        ),
        (
            "decode_unicode_errors",
            r#"return e(cjson.decode, '"\\ud83d"'), e(cjson.decode, '"\\ude00"'), e(cjson.decode, '"\\u12"'), e(cjson.decode, '"\\ud83d\\u0041"'), e(cjson.decode, '"\\uZZZZ"')"#,
            r#""err: Expected value but found invalid unicode escape code at character 2", "err: Expected value but found invalid unicode escape code at character 2", "err: Expected value but found invalid unicode escape code at character 2", "err: Expected value but found invalid unicode escape code at character 2", "err: Expected value but found invalid unicode escape code at character 2""#,
        ),
        (
            "decode_escapes",
            r#"return cjson.decode('"\\"\\\\\\/\\b\\f\\n\\r\\t"'), e(cjson.decode, '"\\x"'), e(cjson.decode, '"abc')"#,
            r#"""\/\x08\x0c\x0a\x0d\x09", "err: Expected value but found invalid escape code at character 2", "err: Expected value but found unexpected end of string at character 5""#,
        ),
        (
            "decode_raw_control_chars",
            r#"return cjson.decode('"a\tb\1c"')"#,
            r#""a\x09b\x01c""#,
        ),
        (
            "decode_errors",
            r#"return e(cjson.decode, ''), e(cjson.decode, '[1,2'), e(cjson.decode, '[1 2]'), e(cjson.decode, '{"a" 1}'), e(cjson.decode, '{1:2}'), e(cjson.decode, '{"a":1,}'), e(cjson.decode, '[1,]'), e(cjson.decode, 'x'), e(cjson.decode, '[1] x'), e(cjson.decode, 'tru'), e(cjson.decode, 'nil'), e(cjson.decode, '-'), e(cjson.decode, '.5'), e(cjson.decode, '{"a":}'), e(cjson.decode, ']')"#,
            r#""err: Expected value but found T_END at character 1", "err: Expected comma or array end but found T_END at character 5", "err: Expected comma or array end but found T_NUMBER at character 4", "err: Expected colon but found T_NUMBER at character 6", "err: Expected object key string but found T_NUMBER at character 2", "err: Expected object key string but found T_OBJ_END at character 8", "err: Expected value but found T_ARR_END at character 4", "err: Expected value but found invalid token at character 1", "err: Expected the end but found invalid token at character 5", "err: Expected value but found invalid token at character 1", "err: Expected value but found invalid token at character 1", "err: Expected value but found invalid number at character 1", "err: Expected value but found invalid token at character 1", "err: Expected value but found T_OBJ_END at character 6", "err: Expected value but found T_ARR_END at character 1""#,
        ),
        (
            "decode_nul_ends_input",
            r#"return cjson.decode('[1]\0garbage'), e(cjson.decode, '"ab\0cd"')"#,
            r#"{[1]=1}, "err: Expected value but found unexpected end of string at character 4""#,
        ),
        (
            "decode_utf16",
            r#"return e(cjson.decode, '\0[\0]'), e(cjson.decode, '[\0'), cjson.decode('1')"#,
            r#""err: JSON parser does not support UTF-16 or UTF-32", "err: JSON parser does not support UTF-16 or UTF-32", 1"#,
        ),
        (
            "decode_args",
            r#"return e(cjson.decode), e(cjson.decode, 1, 2), e(cjson.decode, {}), cjson.decode(12)"#,
            r#""err: bad argument #1 to '?' (expected 1 argument)", "err: bad argument #1 to '?' (expected 1 argument)", "err: bad argument #1 to '?' (string expected, got table)", 12"#,
        ),
        (
            "decode_depth_default",
            r#"return e(cjson.decode, string.rep('[', 1001) .. string.rep(']', 1001)), #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))"#,
            r#""err: Found too many nested data structures (1001) at character 1001", 1"#,
        ),
        (
            "decode_depth_setting",
            r#"local c = cjson.new() c.decode_max_depth(2) return e(c.decode, '[[1]]'), e(c.decode, '[[[1]]]'), e(c.decode, '{"a":{"b":{}}}')"#,
            r#""ok: {[1]={[1]=1}}", "err: Found too many nested data structures (3) at character 3", "err: Found too many nested data structures (3) at character 11""#,
        ),
        (
            "decode_depth_stack",
            r#"local c = cjson.new() c.decode_max_depth(100000) return e(c.decode, string.rep('[', 9000) .. string.rep(']', 9000)), e(c.decode, string.rep('{"a":', 5000) .. '1' .. string.rep('}', 5000))"#,
            r#""err: Found too many nested data structures (7999) at character 7999", "err: Found too many nested data structures (4000) at character 19996""#,
        ),
        (
            "decode_depth_stack_mixed",
            r#"local c = cjson.new() c.decode_max_depth(100000) return e(c.decode, string.rep('[{"k":', 3000) .. '1' .. string.rep('}]', 3000))"#,
            r#""err: Found too many nested data structures (5333) at character 15997""#,
        ),
        (
            "round_trip",
            r#"local v = {a = {1, 2, 3}, b = 'str\n', c = {d = true, e = cjson.null}, f = -3.25} local s = cjson.encode(v) local w = cjson.decode(s) return s, cjson.encode(w) == s"#,
            r#""{"a":[1,2,3],"f":-3.25,"c":{"e":null,"d":true},"b":"str\n"}", false"#,
        ),
        (
            "whitespace",
            r#"return cjson.decode(' \t\r\n[ 1 , { "a" : 2 } ] \n')"#,
            r#"{[1]=1,[2]={["a"]=2}}"#,
        ),
    ]);
}

#[test]
fn cmsgpack_matches_redis() {
    check(&[
        (
            "module_fields",
            r#"return cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION"#,
            r#""cmsgpack", "lua-cmsgpack 0.4.0", "Copyright (C) 2012, Salvatore Sanfilippo", "MessagePack C implementation for Lua""#,
        ),
        (
            "pack_no_args",
            r#"return e(cmsgpack.pack)"#,
            r#""err: bad argument #0 to '?' (MessagePack pack needs input.)""#,
        ),
        (
            "positive_ints",
            r#"return hex(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2^53))"#,
            r#""00017fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000cf0020000000000000""#,
        ),
        (
            "negative_ints",
            r#"return hex(cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -2^53, -2^63))"#,
            r#""ffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffffd3ffe0000000000000d38000000000000000""#,
        ),
        (
            "floats",
            r#"return hex(cmsgpack.pack(0.5, -0.25, 1.5, 0.1, -0.1, 3.4028234663852886e38, 1e300, 1e-300, 2^63, 2^64, -0.0))"#,
            r#""ca3f000000cabe800000ca3fc00000cb3fb999999999999acbbfb999999999999aca7f7fffffcb7e37e43c8800759ccb01a56e1fc2f8f359ca5f000000ca5f80000000""#,
        ),
        (
            "nan_inf",
            r#"return hex(cmsgpack.pack(0/0, 1/0, -1/0))"#,
            r#""cbfff8000000000000ca7f800000caff800000""#,
        ),
        (
            "other_scalars",
            r#"return hex(cmsgpack.pack(true, false, nil, function() end, coroutine.create(function() end)))"#,
            r#""c3c2c0c0c0""#,
        ),
        (
            "strings",
            r#"return hex(cmsgpack.pack('', 'a', string.rep('x', 31))), hex(cmsgpack.pack(string.rep('y', 32)):sub(1, 6)), hex(cmsgpack.pack(string.rep('y', 255)):sub(1, 6)), hex(cmsgpack.pack(string.rep('y', 256)):sub(1, 8)), hex(cmsgpack.pack(string.rep('y', 65535)):sub(1, 8)), hex(cmsgpack.pack(string.rep('y', 65536)):sub(1, 12)), #cmsgpack.pack(string.rep('z', 65536))"#,
            r#""a0a161bf78787878787878787878787878787878787878787878787878787878787878", "d92079797979", "d9ff79797979", "da01007979797979", "daffff7979797979", "db0001000079797979797979", 65541"#,
        ),
        (
            "arrays",
            r#"local a15, a16 = {}, {} for i = 1, 15 do a15[i] = i end for i = 1, 16 do a16[i] = i end local big = {} for i = 1, 65536 do big[i] = 0 end return hex(cmsgpack.pack({}, {1, 2}, a15)), hex(cmsgpack.pack(a16)), hex(cmsgpack.pack(big):sub(1, 6))"#,
            r#""909201029f0102030405060708090a0b0c0d0e0f", "dc00100102030405060708090a0b0c0d0e0f10", "dd0001000000""#,
        ),
        (
            "maps",
            r#"local m15, m16, big = {}, {}, {} for i = 1, 15 do m15['k' .. i] = 1 end for i = 1, 16 do m16['k' .. i] = 1 end for i = 1, 65536 do big['k' .. i] = 1 end local s15, s16 = cmsgpack.pack(m15), cmsgpack.pack(m16) return hex(s15:sub(1, 1)), #s15, hex(s16:sub(1, 3)), hex(cmsgpack.pack(big):sub(1, 5)), hex(cmsgpack.pack({a = 1})), hex(cmsgpack.pack({[1] = 1, [3] = 3})), hex(cmsgpack.pack({[0] = 'z'})), hex(cmsgpack.pack({[1.5] = 1})), hex(cmsgpack.pack({[2^40] = 1})), hex(cmsgpack.pack({1, 2, x = 1}))"#,
            r#""8f", 67, "de0010", "df00010000", "81a16101", "8201010303", "8100a17a", "81ca3fc0000001", "81cf000001000000000001", "8301010202a17801""#,
        ),
        (
            "map_order_5_1",
            r#"return hex(cmsgpack.pack({a = 1, b = 2, c = 3, hello = 'world', [10] = true}))"#,
            r#""85a16101a16303a162020ac3a568656c6c6fa5776f726c64""#,
        ),
        (
            "nesting_limit",
            r#"local t = {} t[1] = t local deep = {} local x = deep for i = 1, 20 do x[1] = {} x = x[1] end return hex(cmsgpack.pack(t)), hex(cmsgpack.pack(deep)), hex(cmsgpack.pack({[{}] = {}}))"#,
            r#""91919191919191919191919191919191c0", "91919191919191919191919191919191c0", "819090""#,
        ),
        (
            "nesting_limit_map_keys",
            r#"local k = {} local x = k for i = 1, 16 do x.a = {} x = x.a end return hex(cmsgpack.pack(k))"#,
            r#""81a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a161c0""#,
        ),
        (
            "unpack_ints",
            r#"return cmsgpack.unpack(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -2^53))"#,
            r#"0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -9007199254740992"#,
        ),
        (
            "unpack_uint64_wraps",
            r#"return cmsgpack.unpack(string.char(0xcf, 255, 255, 255, 255, 255, 255, 255, 255)), cmsgpack.unpack(string.char(0xcf, 0x80, 0, 0, 0, 0, 0, 0, 1)), cmsgpack.unpack(string.char(0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0))"#,
            r#"-1, -9.2233720368547758e+18, -9.2233720368547758e+18"#,
        ),
        (
            "unpack_floats",
            r#"return cmsgpack.unpack(cmsgpack.pack(0.5, 0.1, -1e300, 1/0, 3.4028234663852886e38)), tostring(cmsgpack.unpack(cmsgpack.pack(0/0)))"#,
            r#"0.5, "-nan""#,
        ),
        (
            "unpack_strings",
            r#"local s = string.rep('q', 70000) return cmsgpack.unpack(cmsgpack.pack('', 'abc', string.rep('y', 40))), #cmsgpack.unpack(cmsgpack.pack(s)), cmsgpack.unpack(string.char(0xd9, 2) .. 'hi'), cmsgpack.unpack(string.char(0xda, 0, 2) .. 'ho'), cmsgpack.unpack(string.char(0xdb, 0, 0, 0, 2) .. 'hu')"#,
            r#""", 70000, "hi", "ho", "hu""#,
        ),
        (
            "unpack_containers",
            r#"return cmsgpack.unpack(cmsgpack.pack({1, {2, 3}, {a = {b = 'c'}}, {}}))"#,
            r#"{[1]=1,[2]={[1]=2,[2]=3},[3]={["a"]={["b"]="c"}},[4]={}}"#,
        ),
        (
            "unpack_nil_in_array",
            r#"return cmsgpack.unpack(string.char(0x93, 1, 0xc0, 3))"#,
            r#"{[1]=1,[3]=3}"#,
        ),
        (
            "unpack_wide_headers",
            r#"return cmsgpack.unpack(string.char(0xdc, 0, 2, 1, 2)), cmsgpack.unpack(string.char(0xdd, 0, 0, 0, 1, 7)), cmsgpack.unpack(string.char(0xde, 0, 1, 0xa1, 0x6b, 5)), cmsgpack.unpack(string.char(0xdf, 0, 0, 0, 1, 1, 2))"#,
            r#"{[1]=1,[2]=2}, {[1]=7}, {["k"]=5}, {[1]=2}"#,
        ),
        (
            "unpack_errors",
            r#"return e(cmsgpack.unpack, string.char(0xc1)), e(cmsgpack.unpack, string.char(0xc4, 1, 0)), e(cmsgpack.unpack, string.char(0x92, 1)), e(cmsgpack.unpack, string.char(0xcd, 1)), e(cmsgpack.unpack, string.char(0xa5) .. 'ab'), e(cmsgpack.unpack, string.char(0xdb, 0, 0, 1, 0) .. 'x'), e(cmsgpack.unpack), e(cmsgpack.unpack, {})"#,
            r#""err: Bad data format in input.", "err: Bad data format in input.", "err: Missing bytes in input.", "err: Missing bytes in input.", "err: Missing bytes in input.", "err: Missing bytes in input.", "err: bad argument #1 to '?' (string expected, got no value)", "err: bad argument #1 to '?' (string expected, got table)""#,
        ),
        (
            "unpack_bad_keys",
            r#"return e(cmsgpack.unpack, string.char(0x81, 0xc0, 1)), e(cmsgpack.unpack, string.char(0x81, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0, 1))"#,
            r#""err: table index is nil", "err: table index is NaN""#,
        ),
        (
            "unpack_empty",
            r#"return select('#', cmsgpack.unpack('')), cmsgpack.unpack(12)"#,
            r#"0, 49, 50"#,
        ),
        (
            "unpack_one_limit",
            r#"local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s), cmsgpack.unpack_one(s, 1), cmsgpack.unpack_one(s, 2), cmsgpack.unpack_one(s, 3), cmsgpack.unpack_limit(s, 2), cmsgpack.unpack_limit(s, 2, 1), cmsgpack.unpack_limit(s, 0), cmsgpack.unpack_limit(s, 0, 1), cmsgpack.unpack_limit(s, 10)"#,
            r#"1, 2, -1, -1, 2, -1, 1, 1, -1, 1, 2, 3"#,
        ),
        (
            "unpack_one_errors",
            r#"local s = cmsgpack.pack(1, 2, 3) return e(cmsgpack.unpack_one, s, 4), e(cmsgpack.unpack_one, s, -1), e(cmsgpack.unpack_limit, s, -1, 5), e(cmsgpack.unpack_limit, s), e(cmsgpack.unpack_one), e(cmsgpack.unpack_limit, s, 'x')"#,
            r#""err: Start offset 4 greater than input length 3.", "err: Invalid request to unpack with offset of -1 and limit of 3.", "err: Invalid request to unpack with offset of 5 and limit of 3.", "err: bad argument #2 to '?' (number expected, got no value)", "err: bad argument #1 to '?' (string expected, got no value)", "err: bad argument #2 to '?' (number expected, got string)""#,
        ),
        (
            "unpack_many_values",
            r#"return select('#', cmsgpack.unpack(string.rep(string.char(1), 7999))), e(cmsgpack.unpack, string.rep(string.char(1), 8000))"#,
            r#"7999, "err: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""#,
        ),
        (
            "unpack_deep_arrays",
            r#"return e(cmsgpack.unpack, string.rep(string.char(0x91), 5000) .. string.char(1)), #{cmsgpack.unpack(string.rep(string.char(0x91), 3000) .. string.char(1))}"#,
            r#""err: stack overflow (in function mp_decode_to_lua_array)", 1"#,
        ),
        (
            "unpack_deep_maps",
            r#"return e(cmsgpack.unpack, string.rep(string.char(0x81, 1), 5000) .. string.char(1))"#,
            r#""err: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""#,
        ),
        (
            "pack_many_args",
            r#"local t = {} for i = 1, 4000 do t[i] = i end local ok = #cmsgpack.pack(unpack(t)) t[4001] = 1 return ok, e(cmsgpack.pack, unpack(t))"#,
            r#"11618, "err: bad argument #0 to '?' (Too many arguments for MessagePack pack.)""#,
        ),
        (
            "round_trip",
            r#"local v = {1, -2, 3.5, 'four', {five = 5, six = {6}}, true, false} local s = cmsgpack.pack(v) return cmsgpack.unpack(s), cmsgpack.pack(cmsgpack.unpack(s)) == s"#,
            r#"{[1]=1,[2]=-2,[3]=3.5,[4]="four",[5]={["five"]=5,["six"]={[1]=6}},[6]=true,[7]=false}, true"#,
        ),
    ]);
}

#[test]
fn bit_matches_redis() {
    check(&[
        (
            "tobit",
            r#"return bit.tobit(0), bit.tobit(1), bit.tobit(-1), bit.tobit(2^31), bit.tobit(2^32), bit.tobit(2^32 + 5), bit.tobit(-2^31 - 1), bit.tobit(0xffffffff), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit(2^52 + 3), bit.tobit(2^60 + 2^33 + 7), bit.tobit(1e300), bit.tobit(0/0), bit.tobit(1/0), bit.tobit('12')"#,
            r#"0, 1, -1, -2147483648, 0, 5, 2147483647, -1, 2, 2, -2, 2, 33554432, -2013235812, 0, 0, 12"#,
        ),
        (
            "bnot_band_bor_bxor",
            r#"return bit.bnot(0), bit.bnot(-1), bit.bnot(2^32 + 1), bit.band(0xff00ff, 0x0ff0f0), bit.band(-1, 2^40 + 7), bit.bor(1, 2, 4, 8), bit.bor(0x80000000, 0), bit.bxor(-1, 0x0f0f0f0f), bit.bxor(5), bit.band(7)"#,
            r#"-1, 0, -2, 983280, 7, 15, -2147483648, -252645136, 5, 7"#,
        ),
        (
            "shifts",
            r#"return bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(-1, 4), bit.rshift(-1, 28), bit.rshift(-256, 4), bit.arshift(-256, 4), bit.arshift(-2147483648, 31), bit.rshift(1, -1), bit.lshift(3, 2^32 + 1)"#,
            r#"-2147483648, 1, 2, -16, 15, 268435440, -16, -1, 0, 6"#,
        ),
        (
            "rotates_bswap",
            r#"return bit.rol(0x12345678, 12), bit.ror(0x12345678, 12), bit.rol(-1, 7), bit.ror(1, 1), bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0x80)"#,
            r#"1164411171, 1736516421, -1, -2147483648, 2018915346, -1, -2147483648"#,
        ),
        (
            "tohex",
            r#"return bit.tohex(255), bit.tohex(-1), bit.tohex(0x1234abcd, 4), bit.tohex(0x1234abcd, -4), bit.tohex(0x1234abcd, 12), bit.tohex(0x1234abcd, -12), bit.tohex(1, 0), bit.tohex(2^32 + 255, 2)"#,
            r#""000000ff", "ffffffff", "abcd", "ABCD", "1234abcd", "1234ABCD", "", "ff""#,
        ),
        (
            "large_and_fractional",
            r#"return bit.band(2^53 - 1, -1), bit.bor(-2^53, 0), bit.tobit(-0.5), bit.tobit(0.5), bit.tobit(-2.5), bit.tobit(4294967295.5), bit.bxor(2^31 + 0.5, 1), bit.tohex(-2^63)"#,
            r#"0, 0, 0, 0, -2, 0, -2147483647, "00000000""#,
        ),
        (
            "errors",
            r#"return e(bit.tobit), e(bit.band, 1, 'x'), e(bit.bor, 1, {}, 'x'), e(bit.lshift, 1), e(bit.tohex, 1, nil), e(bit.bnot, 'abc')"#,
            r#""err: bad argument #1 to '?' (number expected, got no value)", "err: bad argument #2 to '?' (number expected, got string)", "err: bad argument #3 to '?' (number expected, got string)", "err: bad argument #2 to '?' (number expected, got no value)", "err: bad argument #2 to '?' (number expected, got nil)", "err: bad argument #1 to '?' (number expected, got string)""#,
        ),
    ]);
}

#[test]
fn struct_matches_redis() {
    check(&[
        (
            "pack_ints",
            r#"return hex(struct.pack('>bBhHiIlL', -1, 255, -2, 65535, -3, 4294967295, -4, 2^53))"#,
            r#""fffffffefffffffffffdfffffffffffffffffffffffc0020000000000000""#,
        ),
        (
            "pack_little",
            r#"return hex(struct.pack('<hHiI', 1, 2, 3, 4)), hex(struct.pack('hi', 1, 2))"#,
            r#""010002000300000004000000", "010002000000""#,
        ),
        (
            "pack_sizes",
            r#"return hex(struct.pack('>i1i2i3i5i8', 1, 2, 3, 5, 8)), hex(struct.pack('<i3', -2)), hex(struct.pack('>i16', -1)), hex(struct.pack('>I10', 2^64 - 2^11)), hex(struct.pack('>i0', 5))"#,
            r#""01000200000300000000050000000000000008", "feffff", "0000000000000000ffffffffffffffff", "0000fffffffffffff800", """#,
        ),
        (
            "pack_conversions",
            r#"return hex(struct.pack('>L', 2^64)), hex(struct.pack('>L', 2^63)), hex(struct.pack('>l', -2^63)), hex(struct.pack('>l', -2^64)), hex(struct.pack('>B', 256)), hex(struct.pack('>b', 1.9)), hex(struct.pack('>b', -1.9)), hex(struct.pack('>L', 0/0)), hex(struct.pack('>T', 7))"#,
            r#""0000000000000000", "8000000000000000", "8000000000000000", "8000000000000000", "00", "01", "ff", "8000000000000000", "0000000000000007""#,
        ),
        (
            "pack_floats",
            r#"return hex(struct.pack('>f', 1.5)), hex(struct.pack('<f', 1.5)), hex(struct.pack('>d', -2.25)), hex(struct.pack('<d', 0.1)), hex(struct.pack('>f', 0.1)), hex(struct.pack('>f', 1e300))"#,
            r#""3fc00000", "0000c03f", "c002000000000000", "9a9999999999b93f", "3dcccccd", "7f800000""#,
        ),
        (
            "pack_strings",
            r#"return hex(struct.pack('c3', 'abcdef')), hex(struct.pack('c0', 'xyz')), hex(struct.pack('s', 'hi')), hex(struct.pack('c', 'q')), hex(struct.pack('>s i', 'a\0b', 1))"#,
            r#""616263", "78797a", "686900", "71", "6100620000000001""#,
        ),
        (
            "pack_alignment",
            r#"return hex(struct.pack('!4 b i', 1, 2)), hex(struct.pack('!b d', 1, 0)), hex(struct.pack('!2 b i', 1, 2)), hex(struct.pack('!8 b h b l', 1, 2, 3, 4)), hex(struct.pack('!4 b c3 i', 1, 'abc', 2)), hex(struct.pack('!4 bxi', 1, 2)), hex(struct.pack('!16 b d', 1, 0))"#,
            r#""0100000002000000", "01000000000000000000000000000000", "010002000000", "01000200030000000400000000000000", "0161626302000000", "0100000002000000", "01000000000000000000000000000000""#,
        ),
        (
            "pack_errors",
            r#"return e(struct.pack, 'i', 'x'), e(struct.pack, 'i'), e(struct.pack, 'z'), e(struct.pack, 'c5', 'ab'), e(struct.pack, 'i33', 1), e(struct.pack, '!3'), e(struct.pack, '!0'), e(struct.pack, 'i99999999999', 1), e(struct.pack), e(struct.pack, 'bs', 1, {})"#,
            r#""err: bad argument #2 to '?' (number expected, got string)", "err: bad argument #2 to '?' (number expected, got nil)", "err: bad argument #1 to '?' (invalid format option 'z')", "err: bad argument #3 to '?' (string too short)", "err: integral size 33 is larger than limit of 32", "err: alignment 3 is not a power of 2", "err: alignment 0 is not a power of 2", "err: integral size overflow", "err: bad argument #1 to '?' (string expected, got no value)", "err: bad argument #3 to '?' (string expected, got table)""#,
        ),
        (
            "unpack_ints",
            r#"local s = struct.pack('>bBhHiIlL', -1, 255, -2, 65535, -3, 4294967295, -4, 2^53) return struct.unpack('>bBhHiIlL', s)"#,
            r#"-1, 255, -2, 65535, -3, 4294967295, -4, 9007199254740992, 31"#,
        ),
        (
            "unpack_little_and_sizes",
            r#"return struct.unpack('<hI3i3', string.char(1, 0, 255, 255, 255, 254, 255, 255)), struct.unpack('>i16', string.rep(string.char(255), 16)), struct.unpack('>I9', string.rep(string.char(255), 9)), struct.unpack('i0', '')"#,
            r#"1, -1, 1.8446744073709552e+19, 0, 1"#,
        ),
        (
            "unpack_floats",
            r#"return struct.unpack('>fd', struct.pack('>fd', 1.5, 0.1)), struct.unpack('<f', struct.pack('<f', 0.1))"#,
            r#"1.5, 0.10000000149011612, 5"#,
        ),
        (
            "unpack_strings",
            r#"return struct.unpack('c3 s', 'abcxy\0zz'), struct.unpack('b c0', string.char(3) .. 'abcd'), struct.unpack('s', 'a\0b\0')"#,
            r#""abc", "abc", "a", 3"#,
        ),
        (
            "unpack_positions",
            r#"return struct.unpack('b', 'abc', 2), struct.unpack('bb', 'abc', 2), struct.unpack('!4 b i', struct.pack('!4 b i', 1, 2)), struct.unpack('x b', 'ab')"#,
            r#"98, 98, 1, 98, 3"#,
        ),
        (
            "unpack_errors",
            r#"return e(struct.unpack, 'i', 'ab'), e(struct.unpack, 'b', 'abc', 4), e(struct.unpack, 'b', 'abc', 0), e(struct.unpack, 'b', 'abc', -1), e(struct.unpack, 's', 'abc'), e(struct.unpack, 'c0', 'abc'), e(struct.unpack, 'b c0', string.char(9) .. 'ab'), e(struct.unpack, 'q', 'a'), e(struct.unpack, 'b'), e(struct.unpack, 'c0', '5')"#,
            r#""err: bad argument #2 to '?' (data string too short)", "err: bad argument #2 to '?' (data string too short)", "err: bad argument #3 to '?' (offset must be 1 or greater)", "err: bad argument #2 to '?' (data string too short)", "err: unfinished string in data", "err: format 'c0' needs a previous size", "err: bad argument #2 to '?' (data string too short)", "err: bad argument #1 to '?' (invalid format option 'q')", "err: bad argument #2 to '?' (string expected, got no value)", "err: format 'c0' needs a previous size""#,
        ),
        (
            "unpack_c0_from_numeric_string",
            r#"return struct.unpack('c1 c0', '3abcd'), e(struct.unpack, 'c1 c0', 'xabc')"#,
            r#""abc", "err: format 'c0' needs a previous size""#,
        ),
        (
            "size",
            r#"return struct.size('b'), struct.size('>bhilTfd'), struct.size('!4 b i'), struct.size('!8 b d b'), struct.size('c10 i3'), struct.size('bz'), struct.size(''), struct.size('x')"#,
            r#"1, 35, 8, 17, 13, 1, 0, 1"#,
        ),
        (
            "size_errors",
            r#"return e(struct.size, 's'), e(struct.size, 'c0'), e(struct.size, '!3'), e(struct.size, '#'), e(struct.size, 'i40'), e(struct.size)"#,
            r#""err: bad argument #1 to '?' (option 's' has no fixed size)", "err: bad argument #1 to '?' (option 'c0' has no fixed size)", "err: alignment 3 is not a power of 2", "err: bad argument #1 to '?' (invalid format option '#')", "err: integral size 40 is larger than limit of 32", "err: bad argument #1 to '?' (string expected, got no value)""#,
        ),
    ]);
}

#[test]
fn readonly_matches_redis() {
    check(&[
        (
            "global_write",
            r#"x = 1"#,
            r#"error: user_script:10: Attempt to modify a readonly table"#,
        ),
        (
            "library_write",
            r#"string.x = 1"#,
            r#"error: user_script:10: Attempt to modify a readonly table"#,
        ),
        (
            "library_overwrite",
            r#"cjson.encode = nil"#,
            r#"error: user_script:10: Attempt to modify a readonly table"#,
        ),
        (
            "rawset",
            r#"rawset(string, 'x', 1)"#,
            r#"error: Attempt to modify a readonly table"#,
        ),
        (
            "rawset_nil_key",
            r#"rawset(string, nil, 1)"#,
            r#"error: Attempt to modify a readonly table"#,
        ),
        (
            "setmetatable",
            r#"setmetatable(string, {})"#,
            r#"error: Attempt to modify a readonly table"#,
        ),
        (
            "newindex_chain",
            r#"local t = setmetatable({}, {__newindex = string}) t.x = 1"#,
            r#"error: user_script:10: Attempt to modify a readonly table"#,
        ),
        (
            "string_metatable",
            r#"local m = getmetatable('') m.x = 1"#,
            r#"error: user_script:10: Attempt to modify a readonly table"#,
        ),
        (
            "table_insert",
            r#"table.insert(string, 1)"#,
            r#"error: Attempt to modify a readonly table"#,
        ),
        (
            "table_insert_pos_check_first",
            r#"return e(table.insert, string, 'x', 1)"#,
            r#""err: bad argument #2 to '?' (number expected, got string)""#,
        ),
        (
            "table_remove_empty",
            r#"return table.remove(string)"#,
            r#""#,
        ),
        (
            "table_sort_empty",
            r#"table.sort(string) return 'sorted'"#,
            r#""sorted""#,
        ),
        (
            "reads_still_work",
            r#"local t = {} t.x = 1 return t.x, string.format('%d', 5), rawget(string, 'len') == string.len"#,
            r#"1, "5", true"#,
        ),
    ]);
}

/// Runs `source` in a plain state, returning the error message if it fails.
fn exec_error(lua: &mut Lua, source: &str) -> Option<String> {
    lua.exec(source.as_bytes(), b"=test", &[])
        .err()
        .map(|e| String::from_utf8_lossy(&e.message().unwrap_or_default()).into_owned())
}

#[test]
fn readonly_flag_through_the_api() {
    let mut lua = Lua::new();
    lua.mutate(|ctx| {
        let t = Table::new(ctx.mc);
        assert!(!t.is_readonly());
        let _ = t.set(ctx.mc, ctx.str("a"), Value::Number(1.0));
        t.set_readonly(ctx.mc, true);
        assert!(t.is_readonly());
        // Host writes are not refused; Lua-visible writes are.
        let _ = t.set(ctx.mc, ctx.str("b"), Value::Number(2.0));
        assert!(t.set_checked(ctx.mc, ctx.str("c"), Value::Nil).is_err());
        let _ = ctx.globals().set(ctx.mc, ctx.str("ro"), Value::Table(t));
    });
    assert_eq!(
        exec_error(&mut lua, "ro.x = 1"),
        Some("test:1: Attempt to modify a readonly table".into())
    );
    assert_eq!(
        exec_error(&mut lua, "ro[1] = 1"),
        Some("test:1: Attempt to modify a readonly table".into())
    );
    assert_eq!(
        exec_error(&mut lua, "rawset(ro, 'x', 1)"),
        Some("Attempt to modify a readonly table".into())
    );
    assert_eq!(
        exec_error(&mut lua, "debug.setmetatable(ro, nil)"),
        Some("Attempt to modify a readonly table".into())
    );
    assert_eq!(
        exec_error(
            &mut lua,
            "local t = {5, 4} setmetatable(t, {__index = ro}) table.sort(ro)"
        ),
        None
    );
    assert_eq!(
        exec_error(
            &mut lua,
            "assert(ro.a == 1 and ro.b == 2 and ro.c == nil) x = 1"
        ),
        None
    );
    lua.mutate(|ctx| {
        let Value::Table(t) = ctx.globals().get(ctx.str("ro")) else {
            panic!("ro is a table");
        };
        t.set_readonly(ctx.mc, false);
    });
    assert_eq!(
        exec_error(
            &mut lua,
            "ro.x = 1 rawset(ro, 'y', 2) table.insert(ro, 3) assert(ro[1] == 3)"
        ),
        None
    );
}

#[test]
fn readonly_array_refuses_table_library_stores() {
    let mut lua = Lua::new();
    lua.mutate(|ctx| {
        let t = Table::new(ctx.mc);
        for i in 1..=3 {
            t.set_int(ctx.mc, i, Value::Number((4 - i) as f64));
        }
        t.set_readonly(ctx.mc, true);
        let _ = ctx.globals().set(ctx.mc, ctx.str("arr"), Value::Table(t));
    });
    for code in [
        "table.insert(arr, 1)",
        "table.insert(arr, 1, 0)",
        "table.remove(arr)",
        "table.remove(arr, 1)",
        "table.sort(arr)",
        "table.sort(arr, function(a, b) return a > b end)",
        "setmetatable(arr, nil)",
    ] {
        assert_eq!(
            exec_error(&mut lua, code),
            Some("Attempt to modify a readonly table".into()),
            "{code}"
        );
    }
    assert_eq!(
        exec_error(
            &mut lua,
            "assert(arr[1] == 3 and arr[3] == 1 and #arr == 3)"
        ),
        None
    );
}
