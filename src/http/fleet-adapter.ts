// A FleetSource over the controller's memory: the lead's controller passes its state and calls changed().
import { isSecretKey } from '../spec/secrets.js';
import { readEnvFiles } from '../workspace/prepare.js';
import type { FleetListener, FleetSource, MetricsText } from './fleet-source.js';
import { fleetDetail, fleetItem, fleetItems, type FleetState } from './fleet-view.js';

export interface FleetDeps {
  /** The controller's current specs, records and host (read on every request, never copied). */
  state(): FleetState;
  logs(name: string, lines: number): Promise<string>;
  metrics(): Promise<MetricsText>;
  ready(): boolean;
  healthy?(): boolean;
  /** For `~` in envFiles paths. */
  home: string;
}

export interface ControllerFleet extends FleetSource {
  /** Tell viewers that these agents (or, without names, any of them) may have changed. */
  changed(names?: Iterable<string>): void;
}

export function createFleetSource(deps: FleetDeps): ControllerFleet {
  const listeners = new Set<FleetListener>();
  return {
    items: () => fleetItems(deps.state()),
    item: (name) => fleetItem(deps.state(), name),
    detail: (name) => fleetDetail(deps.state(), name),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    logs: (name, lines) => deps.logs(name, lines),
    async secrets(name) {
      const d = deps.state().specs.agents.get(name);
      if (!d) return [];
      const fromFiles = await readEnvFiles(d, deps.home);
      return [
        ...Object.values(fromFiles),
        ...Object.entries(d.spec.env)
          .filter(([k]) => isSecretKey(k))
          .map(([, v]) => String(v)),
      ];
    },
    metrics: () => deps.metrics(),
    healthy: () => deps.healthy?.() ?? true,
    ready: () => deps.ready(),
    changed(names) {
      const list = names === undefined ? null : [...names];
      for (const l of listeners) l(list);
    },
  };
}
