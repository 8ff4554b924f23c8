// Loads editors/vscode/extension.js with stand-ins for `vscode` and `vscode-languageclient`
// (neither is installed here) and prints, as JSON, how it starts the language client.
"use strict";
const Module = require("module");
const path = require("path");
const seen = {};
const vscode = {
  workspace: {
    getConfiguration: () => ({ get: (key, fallback) => (key === "args" ? ["--debounce", "400"] : fallback) }),
    createFileSystemWatcher: (glob) => ({ glob }),
  },
};
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(seen, { id, name, serverOptions, clientOptions });
  }
  start() { seen.started = true; return Promise.resolve(); }
  stop() { seen.stopped = true; return Promise.resolve(); }
}
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient };
  return load.call(this, request, parent, isMain);
};
const extension = require(path.resolve(process.argv[2]));
const context = { subscriptions: [] };
extension.activate(context).then(() => {
  extension.deactivate();
  seen.subscriptions = context.subscriptions.length;
  console.log(JSON.stringify(seen));
});
