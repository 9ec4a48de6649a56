import { cfg } from "./config";
import { header, level, persistent, type Header } from "./core";
import type { DebugState, WaymarkEvent } from "./types";
import { epoch, log, parse, sget, sset, uuid } from "./util";

/**
 * A batch: header fixed when it was opened (visitor, session, user), events,
 * attempts, next attempt (ms epoch), created; p: also in the localStorage
 * queue; f: a fetch of it is in flight.
 */
interface Batch {
  i: string;
  h: Header;
  e: WaymarkEvent[];
  n: number;
  t: number;
  c: number;
  p?: number;
  f?: number;
}

/** localStorage key of the retry queue. */
export const KQ = "wm_q";

let box: Batch[] = [];
let open: Batch | undefined;
/** No fetch before this time (ms epoch): the server asked to wait, or is unreachable. */
let blocked = 0;
let timer: ReturnType<typeof setTimeout> | 0 = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let chain: Promise<void> = Promise.resolve();
let nativeFetch: typeof fetch | undefined;
let x: Promise<unknown> | undefined;
export const sent: DebugState["sent"] = [];

const url = () => cfg.endpoint + "/v1/beacon";
const body = (b: Batch) => JSON.stringify({ ...b.h, sentAt: epoch(), events: b.e });
const key = (h: Header) => h.visitor + h.session + h.user;

/** Starts delivery: keeps the unwrapped fetch, takes up batches a previous page left in the retry queue. */
export function startTransport() {
  if (typeof fetch == "function") nativeFetch = fetch.bind(window);
  if (persistent())
    for (const b of parse<Batch[]>(sget(KQ)) || []) {
      b.f = 0;
      b.p = 1;
      box.push(b);
    }
  if (box.length) pump();
}

export function enqueue(ev: WaymarkEvent) {
  const h = header();
  if (open && key(open.h) != key(h)) seal();
  (open = open || { i: uuid(), h, e: [], n: 0, t: 0, c: epoch() }).e.push(ev);
  if (open.e.length >= cfg.batchSize) flush();
  else if (!timer) timer = setTimeout(flush, cfg.flushInterval);
}

const count = (q: Batch[]) => q.reduce((n, b) => n + b.e.length, 0);

function seal() {
  if (open) box.push(open);
  open = undefined;
  // maxQueue: drop the oldest batches beyond it
  while (count(box) > cfg.maxQueue && box.length > 1) drop(box[0]);
}

/** Sends everything due now; the promise settles when those attempts have ended. */
export function flush(): Promise<void> {
  clearTimeout(timer);
  timer = 0;
  seal();
  return (chain = chain.then(loop).catch(log));
}

const pump = () => flush();

async function loop() {
  let b: Batch | undefined;
  while (level != "none" && epoch() >= blocked && (b = box.find((x) => x.t <= epoch() && !x.f))) await send(b);
  clearTimeout(retryTimer);
  if (box.length) {
    const t = Math.max(blocked, Math.min(...box.map((x) => x.t)));
    retryTimer = setTimeout(pump, Math.max(t - epoch(), 50));
  }
}

function note(b: Batch, status: number, via: "fetch" | "beacon") {
  sent.push({ batch: b.i, events: b.e.length, status, via });
  if (sent.length > 20) sent.shift();
  log(via, status, b.e.length);
}

/**
 * POSTs a batch as text/plain (a CORS simple request: no preflight).
 * 2xx/3xx: delivered; 4xx other than 408/429: refused, dropped; anything
 * else (network failure, 408, 429, 5xx): retried later.
 */
async function send(b: Batch) {
  const data = body(b);
  let st = 0;
  let ra: string | null = null;
  b.f = 1;
  try {
    const r = await nativeFetch!(url(), { method: "POST", body: data, keepalive: data.length < 6e4, credentials: "omit" });
    st = r.status;
    ra = r.headers.get("Retry-After");
    // The answer may name a script to load once: the in-page interventions (only when the app's rules act in the page).
    r.json().then((j) => (x ||= j.x && import(j.x)), log);
  } catch {
    /* network failure or CORS refusal: status 0 */
  }
  b.f = 0;
  note(b, st, "fetch");
  if (st && (st < 400 || (st < 500 && st != 408 && st != 429))) drop(b);
  else retry(b, ra);
}

/** Exponential backoff (2 s doubling, capped at 5 min, jittered) or the server's Retry-After. */
function retry(b: Batch, ra: string | null) {
  const now = epoch();
  if (++b.n > 20 || now - b.c > 864e5) {
    drop(b);
    return;
  }
  let d = ra ? +ra * 1e3 || Date.parse(ra) - now : 0;
  if (!(d > 0)) d = Math.min(3e5, 1e3 * 2 ** b.n) * (0.5 + Math.random() / 2);
  b.t = blocked = now + Math.min(d, 864e5);
  store([b]);
}

function drop(b: Batch) {
  const i = box.indexOf(b);
  if (i >= 0) box.splice(i, 1);
  if (b.p) store([], b.i);
}

/** Adds or updates batches in the localStorage retry queue (capped by maxQueue events and maxQueueBytes), or removes one. */
function store(add: Batch[], remove?: string) {
  if (!persistent()) return;
  let q = (parse<Batch[]>(sget(KQ)) || []).filter((x) => x.i != remove && !add.some((b) => b.i == x.i));
  q = q.concat(add.map((b) => ((b.p = 1), { ...b, f: 0 })));
  let s: string;
  while ((s = JSON.stringify(q)).length > cfg.maxQueueBytes || count(q) > cfg.maxQueue) q.shift();
  sset(KQ, q.length ? s : null, true);
}

/**
 * The page is being hidden or unloaded: sends what is due with
 * navigator.sendBeacon (text/plain string body) and keeps the rest, and
 * whatever is in flight, in the retry queue for the next page.
 */
export function beacon() {
  clearTimeout(timer);
  timer = 0;
  seal();
  const now = epoch();
  const keep: Batch[] = [];
  for (const b of box.slice()) {
    let ok = false;
    try {
      ok = !b.f && b.t <= now && now >= blocked && navigator.sendBeacon(url(), body(b));
    } catch {
      /* no sendBeacon */
    }
    if (ok) {
      note(b, 0, "beacon");
      drop(b);
    } else keep.push(b);
  }
  store(keep);
}

/** Consent "none": forget everything queued. */
export function purge() {
  box = [];
  open = undefined;
  sset(KQ, null);
}

export const queued = () =>
  box.concat(open ? [open] : []).map((b) => ({ id: b.i, attempts: b.n, next: b.t, events: b.e.slice() }));
