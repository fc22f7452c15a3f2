// Node.js, require(): the .wasm is compiled synchronously from disk; one
// instance shared with node.mjs through loadOnce.
"use strict";
const { readFileSync } = require("node:fs");
const { initSync } = require("./lib/glue.js");
const { loadOnce, readWasm } = require("./lib/setup.js");

module.exports = loadOnce(() => initSync({ module: readWasm(readFileSync, `${__dirname}/tim_recentcontact_bg.wasm`) }));
