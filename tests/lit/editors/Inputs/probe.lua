-- Run inside headless Neovim after editors/neovim/cadence.lua: waits for the
-- built-in client's diagnostics on the current buffer, asks for a hover at
-- the position in $CADENCE_HOVER ("line,character", 0-based), and writes
-- both as JSON to $CADENCE_PROBE_OUT, then quits.
local out = os.getenv("CADENCE_PROBE_OUT")
local function finish(result)
  local file = io.open(out, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qa!")
end

local buf = vim.api.nvim_get_current_buf()
local got = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
if not got then
  finish({ error = "no diagnostics within 20 s", filetype = vim.bo[buf].filetype,
           clients = #vim.lsp.buf_get_clients(buf) })
  return
end

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(diagnostics, {
    line = d.lnum, character = d.col, end_line = d.end_lnum, end_character = d.end_col,
    severity = d.severity, message = d.message, source = d.source,
    code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or vim.NIL,
  })
end

local line, character = string.match(os.getenv("CADENCE_HOVER") or "0,0", "(%d+),(%d+)")
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = tonumber(line), character = tonumber(character) },
}
local responses = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000)
local hover = vim.NIL
for _, response in pairs(responses or {}) do
  if response.result and response.result.contents then
    hover = response.result.contents.value or response.result.contents
  end
end
finish({ diagnostics = diagnostics, hover = hover, filetype = vim.bo[buf].filetype })
