// The controller's HTTP side: metrics, the fleet source behind the page and API, and the server when --http-addr is given.
import { registerAgentMetrics } from '../../../controllers/agent/metrics.js';
import { runtimeKeyOf } from '../../../controllers/agent/placement.js';
import type { AgentDeps } from '../../../controllers/agent/deps.js';
import type { ControllerMetrics } from '../../engine/controller.js';
import { createMetrics } from '../../engine/metrics.js';
import { createFleetSource, type ControllerFleet } from '../../http/fleet-adapter.js';
import { HttpConfigError, startHttpServer, type HttpServer, type PageActions } from '../../http/server.js';
import { answerAgent, decisionOf, type AnswerDeps } from '../../claude/permission/answer.js';
import { activityDir } from '../../../controllers/agent/session/activity-layer.js';
import { typeKeys } from '../../../controllers/agent/session/typing.js';
import { key } from '../../claude/keys.js';
import type { Context } from '../context.js';

export interface FleetServer {
  fleet: ControllerFleet;
  metrics: ControllerMetrics;
  /** The controller observed something: /readyz says ready from now on. */
  markReady(): void;
  close(): Promise<void>;
}

/** approve/deny from the page: the same answer as `agentctl approve/deny`, through the
 * controller's own runtimes for the dialog fallback. */
function pageActions(ctx: Context, d: AgentDeps): PageActions {
  const deps: AnswerDeps = {
    runDir: activityDir(ctx.stateDir),
    withTerminal: (name, use) => {
      const rt = d.runtimes.get(runtimeKeyOf(d.desired.get(name), d.records.get(name)));
      return use(
        rt.capture
          ? {
              screen: async () => (await rt.capture!([name])).get(name),
              press: (k) => typeKeys(rt, name, [key(k)]),
            }
          : undefined,
      );
    },
  };
  return { answer: (verb, name, message) => answerAgent(deps, name, decisionOf(verb, message)) };
}

/** Thrown when the HTTP address is refused (a usage or bind error): exit 2. */
export class ServeRefused extends Error {}

export async function startFleetServer(
  ctx: Context,
  d: AgentDeps,
  o: { httpAddr?: string | undefined; httpToken?: string | undefined },
): Promise<FleetServer> {
  const metrics = createMetrics('agent');
  registerAgentMetrics(metrics.registry, {
    records: () => d.records.all(),
    hosts: () => [
      { host: ctx.host, up: true },
      ...(d.hosts?.names() ?? [])
        .filter((n) => n !== ctx.host)
        .map((n) => ({ host: n, up: d.hosts?.stateOf(n)?.reachable === true })),
    ],
  });
  let ready = false;
  const fleet = createFleetSource({
    state: () => ({ specs: d.desired.specs, records: d.records.view, host: ctx.host }),
    logs: (name, n) => d.runtimes.get(runtimeKeyOf(d.desired.get(name), d.records.get(name))).logs(name, n),
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    ready: () => ready,
    home: ctx.home,
  });
  let http: HttpServer | undefined;
  if (o.httpAddr) {
    try {
      http = await startHttpServer({
        addr: o.httpAddr,
        token: o.httpToken,
        source: fleet,
        log: ctx.log,
        actions: pageActions(ctx, d),
      });
    } catch (err) {
      if (!(err instanceof HttpConfigError) && (err as NodeJS.ErrnoException).code === undefined) throw err;
      throw new ServeRefused((err as Error).message, { cause: err });
    }
    ctx.log.info({ url: http.url }, 'serving the fleet page, /api/agents, /api/events, /metrics, /healthz, /readyz');
  }
  return {
    fleet,
    metrics: metrics.hooks,
    markReady: () => void (ready = true),
    close: async () => {
      await http?.close();
    },
  };
}
