-- Lua errors are C longjmps, which wasi-libc builds on wasm exceptions:
-- every pcall below is a throw caught by a catch in pandoc.wasm.
local caught = 0
function Str(el)
  for i = 1, 200 do
    local ok = pcall(error, {code = i})
    if not ok then caught = caught + 1 end
  end
  local ok, msg = pcall(function() return nil .. el.text end)
  return pandoc.Str(el.text .. "[" .. caught .. "," .. tostring(ok) .. "]")
end
function Meta(m)
  m.checked = pandoc.MetaString(tostring(select(2, pcall(error, "meta error"))))
  return m
end
