-- Headless Neovim as a real LSP client of `notes-kit server` (tests/test_editor_neovim.py).
-- NOTES_KIT_SERVER: the command, words separated by tabs; NOTES_KIT_REPORT: where to write
-- one line per diagnostic received: `line<TAB>column<TAB>code<TAB>message` (0-based), then
-- the titles of the code actions offered at the first diagnostic, each as `action<TAB>title`.
local cmd = vim.split(os.getenv("NOTES_KIT_SERVER"), "\t", { plain = true })
local report = os.getenv("NOTES_KIT_REPORT")

local function attach(buffer)
  local config = { name = "notes-kit", cmd = cmd, root_dir = vim.fn.getcwd() }
  if vim.lsp.start then -- Neovim 0.8 and later
    vim.lsp.start(config, { bufnr = buffer })
  else -- Neovim 0.7
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buffer, id)
  end
end

local function finish()
  local out = assert(io.open(report, "w"))
  local found = vim.diagnostic.get(0)
  table.sort(found, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(found) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
    out:write(string.format("%d\t%d\t%s\t%s\n", d.lnum, d.col, code, d.message))
  end
  if #found > 0 then
    local first = found[1]
    local params = {
      textDocument = vim.lsp.util.make_text_document_params(0),
      range = { start = { line = first.lnum, character = first.col },
                ["end"] = { line = first.end_lnum or first.lnum, character = first.end_col or first.col } },
      context = { diagnostics = {} },
    }
    local answers = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 10000) or {}
    for _, answer in pairs(answers) do
      for _, action in ipairs(answer.result or {}) do
        out:write("action\t" .. action.title .. "\n")
      end
    end
  end
  out:close()
  vim.cmd("qall!")
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "markdown", "yaml" },
  callback = function(args) attach(args.buf) end,
})

vim.defer_fn(function()
  vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)
  finish()
end, 100)
