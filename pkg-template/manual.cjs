// tim-recentcontact/manual in Node.js, require(): the package is loaded
// synchronously already; init() and initSync() have nothing left to do.
"use strict";
const m = require("./node.cjs");
module.exports = { ...m, init: async () => {}, initSync: () => {} };
