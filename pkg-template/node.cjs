// Node.js, require(): the wasm module is compiled synchronously from disk.
"use strict";
const glue = require("./tim_recentcontact_node.cjs");
const errors = require("./errors.cjs");
glue.__setErrorFactory(errors.makeError);
require("./paging.cjs").installPaging(glue.ConversationClient, errors.makeError);
require("./bulk.cjs").installBulk(glue.ConversationClient, errors.makeError);
require("./client.cjs").installClient(glue.ConversationClient, errors.makeError);
require("./transport.cjs").installTransport(glue.__setTransport);
module.exports = {
  ConversationClient: glue.ConversationClient,
  genUserSig: glue.genUserSig,
  verifyUserSig: glue.verifyUserSig,
  // Diagnostics for the endurance tests and the bench, not public API.
  __memoryStats: glue.__memoryStats,
  TimError: errors.TimError,
  TimValidationError: errors.TimValidationError,
  TimApiError: errors.TimApiError,
  TimAuthError: errors.TimAuthError,
  TimHttpError: errors.TimHttpError,
  TimNetworkError: errors.TimNetworkError,
  TimTimeoutError: errors.TimTimeoutError,
  TimDecodeError: errors.TimDecodeError,
  TimAbortError: errors.TimAbortError,
  isTimError: errors.isTimError,
};
