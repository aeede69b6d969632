// Reads a server-sent events stream in tests: every event (and comment) kept in arrival order.
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseReader {
  events: SseEvent[];
  comments: string[];
  /** Resolves with the first event at or after index `from` that `pred` accepts. */
  next(pred: (e: SseEvent) => boolean, from?: number, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function readSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const ac = new AbortController();
  const res = await fetch(url, { headers, signal: ac.signal });
  if (res.status !== 200 || !res.body) throw new Error(`GET ${url}: ${res.status}`);
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let at;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ event, data: data.join('\n') });
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    comments,
    next(pred, from = 0, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const e = events.slice(from).find(pred);
          if (e) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(e);
          }
          return e !== undefined;
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs}ms; got ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => ac.abort(),
  };
}
