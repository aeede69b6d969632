// Who may answer a permission request from the page: the rules a POST must pass before anything is done (pure).
//
// Actions exist only when the controller has a token; the token must come in the Authorization
// header (never the query: addresses end up in logs and histories). A browser page of another
// site must not be able to make a visitor's browser act (CSRF): a browser sends Origin and
// Sec-Fetch-Site with every POST, and both must say this very server; the body must be JSON,
// which a cross-site form cannot send and a cross-site fetch can only send after a preflight,
// which is refused (OPTIONS → 405, no CORS headers ever). A client that is no browser (curl)
// sends neither header and needs the token alone.
import { z } from 'zod';

export const ACTION_VERBS = ['approve', 'deny'] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

/** `/api/agents/NAME/approve` → the name and verb; undefined for any other path. */
export function actionPath(path: string): { name: string; verb: ActionVerb } | undefined {
  const m = /^\/api\/agents\/([^/]+)\/(approve|deny)$/.exec(path);
  if (!m) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  return { name, verb: m[2] as ActionVerb };
}

export interface ActionRequest {
  /** The server was given a token (actions are on). */
  actionsEnabled: boolean;
  /** The Authorization header's bearer token matched. */
  headerTokenOk: boolean;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  contentType: string | undefined;
}

export interface Refusal {
  status: number;
  text: string;
  headers?: Record<string, string>;
}

/** Why this POST is refused, or undefined when it may go on. */
export function actionRefusal(r: ActionRequest): Refusal | undefined {
  if (!r.actionsEnabled)
    return { status: 403, text: 'read-only: approve and deny need the controller started with --http-token' };
  if (!r.headerTokenOk)
    return {
      status: 401,
      text: 'approve and deny need the token in the header: Authorization: Bearer <token>',
      headers: { 'WWW-Authenticate': 'Bearer' },
    };
  if (r.secFetchSite !== undefined && r.secFetchSite !== 'same-origin')
    return { status: 403, text: `refused: a request from another site (Sec-Fetch-Site: ${r.secFetchSite})` };
  if (r.origin !== undefined && (r.host === undefined || !sameOrigin(r.origin, r.host)))
    return { status: 403, text: 'refused: the Origin is not this server' };
  if (!/^application\/json\s*(;|$)/i.test(r.contentType ?? ''))
    return { status: 415, text: 'the body must be JSON (Content-Type: application/json)' };
  return undefined;
}

/** The Origin names this server as the browser reached it (scheme http, the Host header). */
function sameOrigin(origin: string, host: string): boolean {
  return origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

/** The largest body an action reads. */
export const MAX_ACTION_BODY = 8 * 1024;

export const ActionBody = z.strictObject({ message: z.string().min(1).optional() });
export type ActionBody = z.infer<typeof ActionBody>;

/** The body as JSON, or why not. */
export function parseActionBody(text: string): ActionBody | string {
  let v: unknown;
  try {
    v = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  const p = ActionBody.safeParse(v);
  return p.success
    ? p.data
    : `bad body: ${p.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`;
}
