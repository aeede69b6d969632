// healthCheck.a2aCard (DESIGN §10.5): the A2A agent card to fetch, and the name it must carry (zod).
import { z } from 'zod';

export const A2aCardCheck = z.strictObject({
  /** The card's URL, usually http://HOST:PORT/.well-known/agent.json (or agent-card.json). */
  url: z.url({ protocol: /^https?$/ }),
  /** The `name` the card must hold; default: the agent's own name. */
  name: z.string().min(1).optional(),
});
export type A2aCardCheck = z.infer<typeof A2aCardCheck>;
