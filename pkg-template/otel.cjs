// tim-recentcontact/otel for require().
"use strict";
const { tracedFetch } = require("./lib/otel.js");
module.exports = { tracedFetch };
