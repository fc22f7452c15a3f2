import { main } from "./app.mjs";
console.log(await main());
