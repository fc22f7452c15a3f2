// tim-recentcontact/callbacks for require().
"use strict";
const { verifyCallback, callbackReply, callbackSign, isRateAlert, TimCallbackError } = require("./lib/callbacks.js");
module.exports = { verifyCallback, callbackReply, callbackSign, isRateAlert, TimCallbackError };
