const { main } = require("./app.mjs");
main().then((r) => console.log(r), (e) => { console.error(e); process.exit(1); });
