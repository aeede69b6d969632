// What ends a running controller: SIGTERM/SIGINT (a second one exits at once) and the npm that started it going away.
import type { Logger } from 'pino';
import { npmLauncher, watchParent } from '../../engine/parent-watch.js';

/** Aborts `abort` on the first signal, or when the npm launcher is gone; returns the undo. */
export function shutdownOn(log: Logger, abort: AbortController): () => void {
  const onSignal = (sig: NodeJS.Signals): void => {
    if (abort.signal.aborted) {
      log.warn({ signal: sig }, 'second signal: exiting at once');
      process.exit(130);
    }
    log.info({ signal: sig }, 'shutting down: finishing in-flight work; agents keep running');
    abort.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const launcher = npmLauncher(process.env);
  const stopParentWatch = launcher
    ? watchParent({
        intervalMs: 500,
        onGone: (pid) => {
          log.info(
            { launcher: `npm ${launcher}`, pid },
            'the npm that started this controller is gone: shutting down; agents keep running',
          );
          abort.abort();
        },
      })
    : () => undefined;
  return () => {
    stopParentWatch();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
