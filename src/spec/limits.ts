// Caps on what specs may make agentctl read or wait for (pure constants).

/** A spec file, `_defaults.yaml` or an overlay: far above any real spec, far below what would
 * cost the controller noticeable memory or time to parse. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

/** An envFile (dotenv): secrets and settings, never megabytes. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

export { MAX_DURATION_MS } from '../util/duration.js';
