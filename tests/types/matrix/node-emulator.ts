// In Node (the "node" condition) the emulator listens.
import { createEmulator } from "tim-recentcontact/emulator";
export async function serve(): Promise<string> {
  const listener = await createEmulator().listen({ stopAfterMs: 1000 });
  await listener.close();
  return listener.url;
}
