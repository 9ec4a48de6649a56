import { cfg } from "./config";
import { enqueue, purge, KQ } from "./transport";
import type { Consent, EventType, Props, WaymarkEvent } from "./types";
import { clean, epoch, fnv, log, parse, sget, sset, uuid } from "./util";

/** A session as stored (key wm_s): id, start, last activity (ms epoch), user actions, user tag. */
export interface Sess {
  id: string;
  s: number;
  l: number;
  n: number;
  u?: string;
}

const KV = "wm_v";
const KS = "wm_s";

export let ready = false;
export let level: Consent = "none";
let wanted: Consent = "full";
export let visitor = "";
export let sess: Sess | undefined;
export const tags: Props = {};

export const setReady = () => (ready = true);

/** Ids may be stored only with full consent and outside cookieless mode. */
export const persistent = () => level == "full" && !cfg.cookieless;

/** The session is recorded: sampling by session id, so a session is all in or all out. */
export const inSample = () => !!sess && (cfg.sampleRate >= 1 || fnv(sess.id) / 4294967296 < cfg.sampleRate);

/**
 * Sets the consent level (see types.ts Consent). With respectGpc and
 * navigator.globalPrivacyControl, "full" is capped at "anonymous".
 */
export function setConsent(l?: Consent): Consent {
  if (l == "none" || l == "anonymous" || l == "full") wanted = l;
  level = wanted == "full" && cfg.respectGpc && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl ? "anonymous" : wanted;
  if (ready) {
    if (!persistent()) [KV, KS, KQ].forEach((k) => sset(k, null));
    if (level != "full" && sess) sess.u = undefined;
    if (level == "none") purge();
    else {
      visitor = visitor || (persistent() && sget(KV)) || uuid();
      touch();
    }
  }
  return level;
}

function save() {
  if (persistent()) {
    sset(KV, visitor);
    sset(KS, JSON.stringify(sess));
  }
}

/** Starts a new session (keeps the user tag unless told otherwise). */
export function renew(u?: string, now = epoch()) {
  sess = { id: uuid(), s: now, l: now, n: 0, u };
  save();
}

/**
 * Marks activity on the session, renewing it first when it has ended
 * (definitions.md "Sessions": 30 min idle, 6 h in all, 200 user actions).
 * Reads the stored session first, so tabs share one session.
 */
export function touch(userAction?: boolean) {
  if (level == "none") return;
  const now = epoch();
  const s = persistent() && parse<Sess>(sget(KS));
  if (s && s.id) sess = s;
  if (
    !sess ||
    now - sess.l > cfg.sessionInactivity ||
    now - sess.s > cfg.sessionMaxDuration ||
    (userAction && sess.n >= cfg.sessionMaxActions)
  )
    renew(sess && sess.u, now);
  sess!.l = now;
  if (userAction) sess!.n++;
  save();
}

export function setUser(u?: string) {
  touch();
  sess!.u = u;
  save();
}

/**
 * 0: not activity (session_end); 1 (default): activity on the session, as
 * every event is for the server ("30 minutes without an event"); 2: a user
 * action, counted toward sessionMaxActions.
 */
export type Touch = 0 | 1 | 2;

/**
 * Completes an event (id, ts, props with tags, protocol length limits),
 * passes it to beforeSend and queues it. Returns its id, or undefined when
 * it was not recorded (consent none, not sampled, dropped).
 */
export function emit(e: Omit<Partial<WaymarkEvent>, "props"> & { type: EventType; props?: Props }, t: Touch = 1): string | undefined {
  if (!ready || level == "none") return;
  if (t) touch(t > 1);
  if (!inSample()) return;
  let ev: WaymarkEvent | null | undefined | false = { ...e, id: e.id || uuid(), ts: Math.round(e.ts || epoch()) } as WaymarkEvent;
  const p = clean({ ...tags, ...e.props });
  if (p) ev.props = p;
  else delete ev.props;
  for (const k of ["name", "url", "message", "source", "target"] as const) if (ev[k]) ev[k] = ev[k]!.slice(0, 2048);
  if (cfg.beforeSend) {
    try {
      ev = cfg.beforeSend(ev);
    } catch {
      /* a faulty hook keeps the event */
    }
    if (!ev) return;
  }
  log(ev.type, ev);
  enqueue(ev);
  return ev.id;
}

/**
 * What only the page knows of its device: iPadOS reports itself as a Mac, and
 * only touch support tells them apart. The server derives the rest (class,
 * browser, OS) from the request's User-Agent and client hints.
 */
const device = () => ({
  class: /Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1 ? "tablet" : undefined,
  locale: navigator.language,
});

export type Header = ReturnType<typeof header>;

/** The batch-level fields of a beacon (sentAt is added at each send). */
export function header() {
  return {
    app: cfg.app,
    key: cfg.key,
    channel: "web",
    visitor,
    session: sess!.id,
    user: sess!.u,
    consent: level,
    device: device(),
    context: { appVersion: cfg.appVersion, touchpoint: cfg.touchpoint },
  };
}
