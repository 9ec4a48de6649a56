import { cfg } from "./config";
import type { Props, Scalar } from "./types";

/** Monotonic milliseconds since navigation start. */
export const perf = () => performance.now();
/** Milliseconds since the Unix epoch. */
export const epoch = () => Date.now();

/** A random id: crypto.randomUUID (secure contexts only), else a v4 UUID from crypto.getRandomValues. */
export function uuid(): string {
  const c = crypto;
  return c.randomUUID
    ? c.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (d) => (+d ^ (c.getRandomValues(new Uint8Array(1))[0] & (15 >> (+d / 4)))).toString(16));
}

/** FNV-1a, 32 bits, unsigned. */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x1000193);
  return h >>> 0;
}

/** Rounds to at most 4 decimals (vitals) and clamps durations to the protocol's range. */
export const round = (v: number) => Math.round(v * 1e4) / 1e4;
export const ms = (v: number) => Math.min(Math.max(Math.round(v), 0), 864e5);

/**
 * A URL with everything private removed: query parameters except
 * cfg.allowedQueryParams, the fragment (unless hashRouting: then its path
 * part only), credentials. Undefined for non-http(s) URLs.
 */
export function mask(href: string): URL | undefined {
  try {
    const u = new URL(href, location.href);
    if (!/^https?:$/.test(u.protocol)) return;
    const q = new URLSearchParams();
    u.searchParams.forEach((v, k) => cfg.allowedQueryParams.indexOf(k) >= 0 && q.append(k, v));
    u.search = "" + q;
    u.hash = cfg.hashRouting ? u.hash.split("?")[0] : "";
    u.username = u.password = "";
    return u;
  } catch {
    return;
  }
}

/**
 * Third party: a host other than the page's and not in cfg.firstPartyHosts,
 * where an entry ("example.com", ".example.com" or "*.example.com") covers the
 * host and its subdomains, as on the server.
 */
export function thirdParty(u: URL): boolean {
  const h = "." + u.hostname;
  return h != "." + location.hostname && !cfg.firstPartyHosts.some((f) => h.endsWith("." + f.replace(/^[*.]+/, "")));
}

/** Protocol limits: at most 32 props, names of 64 and strings of 512 characters, scalars only. */
export function clean(p?: Props): Record<string, Scalar> | undefined {
  let o: Record<string, Scalar> | undefined;
  let n = 0;
  for (const k in p) {
    let v = p[k];
    const t = typeof v;
    if (t == "string") v = (v as string).slice(0, 512);
    else if (t == "number" ? !isFinite(v as number) : t != "boolean") continue;
    if (n++ >= 32) break;
    (o = o || {})[k.slice(0, 64)] = v as Scalar;
  }
  return o;
}

/** Reads a key from localStorage, else sessionStorage. */
export function sget(k: string): string | null {
  try {
    return localStorage.getItem(k) || sessionStorage.getItem(k);
  } catch {
    return null; // storage blocked
  }
}

/** Writes (or removes, for null) a key in localStorage, and in sessionStorage too unless localOnly. */
export function sset(k: string, v: string | null, localOnly?: boolean): void {
  try {
    for (const s of localOnly ? [localStorage] : [localStorage, sessionStorage]) v == null ? s.removeItem(k) : s.setItem(k, v);
  } catch {
    /* quota or blocked */
  }
}

export function parse<T>(s: string | null): T | undefined {
  try {
    return s ? JSON.parse(s) : undefined;
  } catch {
    return;
  }
}

export function log(...a: unknown[]): void {
  if (cfg.debug) console.debug("[waymark]", ...a);
}

/** Wraps a handler so that the agent never throws into the page. */
export const safe =
  <A extends unknown[]>(fn: (...a: A) => void) =>
  (...a: A) => {
    try {
      fn(...a);
    } catch (x) {
      log(x);
    }
  };

/** Adds a passive listener, on window unless told otherwise (capture unless bubble). */
export const on = (type: string, fn: (e: any) => void, bubble?: boolean, target: EventTarget = window) =>
  target.addEventListener(type, safe(fn), { capture: !bubble, passive: true });
