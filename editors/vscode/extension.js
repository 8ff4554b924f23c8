// A thin client: VS Code starts `notes-kit server` and talks LSP to it over stdio.
// Everything else (diagnostics, quick fixes, fix all on save, hover, completion) is the
// server's. No build step: `npm install` here, then install the folder (see docs/editors.md).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("notes-kit");
  const command = settings.get("path", "notes-kit");
  const args = ["server", ...settings.get("args", [])];
  const serverOptions = { run: { command, args }, debug: { command, args } };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "yaml" },
      { scheme: "untitled", language: "markdown" },
    ],
    synchronize: {
      // A changed config or registry re-lints the open pages.
      fileEvents: vscode.workspace.createFileSystemWatcher(
        "**/{.notes-kit.toml,pyproject.toml,*.yaml,*.yml}"
      ),
    },
  };
  client = new LanguageClient("notes-kit", "notes-kit", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
