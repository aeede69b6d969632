// Keeps checking that this controller still holds the state dir lock, and says so once when it lost it.
//
// The lock file can be lost under a running controller (`rm -rf state`, another controller taking
// over a garbled lock). A controller that lost it steps down rather than race a second one on the
// same agents.
import type { Logger } from 'pino';
import type { Lock } from '../../engine/lock.js';

export interface LockKeeper {
  /** Checks now; false (and `onLost` once) when the lock is no longer ours. */
  check(): Promise<boolean>;
  /** The lock was lost: it is someone else's now, never to be removed by us. */
  readonly lost: boolean;
  stop(): void;
}

export function keepLock(lock: Lock, log: Logger, onLost: () => void, everyMs = 10_000): LockKeeper {
  let lost = false;
  const check = async (): Promise<boolean> => {
    const c = await lock.verify();
    if (!c.held && !lost) {
      lost = true;
      log.error({ lock: lock.file, reason: c.reason }, 'lost the state dir lock: stepping down');
      onLost();
    }
    return c.held;
  };
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return {
    check,
    get lost() {
      return lost;
    },
    stop: () => clearInterval(timer),
  };
}
