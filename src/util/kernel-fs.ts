// Which paths lie on kernel file systems (/proc, /sys, /dev), where agentctl never creates anything (pure).
import { posix } from 'node:path';

const KERNEL_FS = /^\/(proc|sys|dev)(\/|$)/;
// A real tmpfs, a fine place for a scratch workdir or a secrets file.
const SHM = /^\/dev\/shm(\/|$)/;

/** True for /proc, /sys and /dev and anything below them, /dev/shm excepted: folders cannot be
 * made there, and `mkdir -p` under /proc never returns. */
export function onKernelFs(path: string): boolean {
  const n = posix.normalize(path).replace(/^\/+/, '/');
  return KERNEL_FS.test(n) && !SHM.test(n);
}
