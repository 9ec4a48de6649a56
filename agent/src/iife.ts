/**
 * Script-tag build: defines window.waymark. If the queue stub (README,
 * snippet.html) is there, its object is kept (so references to it keep
 * working), given the real methods, and the queued calls are replayed.
 */
import { api, setFallbackEndpoint } from "./api";
import type { Waymark } from "./types";

type Stub = Partial<Waymark> & { q?: ArrayLike<unknown>[] };
const w = window as unknown as { waymark?: Stub };
const stub = w.waymark;

if (!(stub && stub._debug)) {
  try {
    const s = document.currentScript as HTMLScriptElement | null;
    if (s && s.src) setFallbackEndpoint(new URL(s.src).origin);
  } catch {
    /* no currentScript */
  }
  const q = (stub && stub.q) || [];
  const target: Stub = stub && typeof stub == "object" ? stub : {};
  Object.assign(target, api);
  delete target.q;
  w.waymark = target;
  // init last, so that queued consent() calls are known to it
  for (const c of ([].slice.call(q) as ArrayLike<unknown>[]).sort((a, b) => +(a[0] == "init") - +(b[0] == "init"))) {
    try {
      const f = (api as unknown as Record<string, (...a: unknown[]) => unknown>)[c[0] as string];
      if (f) f(...[].slice.call(c[1] || []));
    } catch {
      /* a bad queued call must not stop the others */
    }
  }
}
