// Loaded before a README snippet that reads REDIS_URL: a real redis-server
// on a free loopback port, stopped when the test process exits.
import { startRedis } from "../js/redis-harness.mjs";

const redis = await startRedis({ limitMs: 120_000 });
process.env.REDIS_URL = redis.url;
