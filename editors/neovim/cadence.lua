-- Cadence for Neovim's built-in LSP client, 0.7 or later.
-- Put this file in ~/.config/nvim/plugin/ (or source it from init.lua).
-- It marks *.cadence files and starts one `cadence lsp` per project root
-- (the directory holding cadence.toml, else the file's directory).
-- Set vim.g.cadence_command (a list) to run another binary.

vim.cmd([[autocmd BufRead,BufNewFile *.cadence setfiletype cadence]])

local clients = {}

local function project_root(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  local marker = vim.fn.findfile("cadence.toml", dir .. ";")
  if marker ~= "" then
    return vim.fn.fnamemodify(marker, ":p:h")
  end
  return dir
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "cadence",
  callback = function(args)
    local root = project_root(vim.api.nvim_buf_get_name(args.buf))
    local id = clients[root]
    if id == nil or vim.lsp.get_client_by_id(id) == nil then
      id = vim.lsp.start_client({
        name = "cadence",
        cmd = vim.g.cadence_command or { "cadence", "lsp" },
        root_dir = root,
      })
      clients[root] = id
    end
    if id ~= nil then
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
