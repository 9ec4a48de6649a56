import { startActions } from "./actions";
import { cfg, defaults } from "./config";
import { emit, inSample, level, ready, renew, sess, setConsent, setReady, setUser, tags, visitor } from "./core";
import { startErrors } from "./errors";
import { startNetwork } from "./network";
import { activity, settle } from "./settle";
import { beacon, flush as send, queued, sent, startTransport } from "./transport";
import type { Config, Consent, DebugState, Props, Scalar, Waymark } from "./types";
import { log, on } from "./util";
import { pageView, startViews } from "./views";
import { startVitals } from "./vitals";

export const VERSION = "0.1.0";

let fallbackEndpoint = "";
/** The IIFE build sets this to the origin its script was loaded from. */
export const setFallbackEndpoint = (e: string) => (fallbackEndpoint = e);

/** Calls made before init, replayed after it. */
const early: [(...a: any[]) => unknown, unknown[]][] = [];
/** Wraps an API function: before init, the call is kept for later (and returns r). */
const later =
  <A extends unknown[], R>(f: (...a: A) => R, r?: R) =>
  (...a: A): R =>
    ready ? f(...a) : (early.push([f, a]), r as R);

/** Starts the agent. Calls before it are queued and replayed; a second call is ignored. */
export function init(config: Config): void {
  if (ready || typeof window == "undefined") return;
  if (!config || !config.app) {
    console.warn("waymark: init needs app");
    return;
  }
  Object.assign(cfg, defaults, config);
  cfg.endpoint = (config.endpoint || fallbackEndpoint || location.origin).replace(/\/+$/, "");
  setReady();
  // a consent() call made before init decides from the start: nothing is stored first
  const c = early.filter((x) => x[0] == setConsent).pop();
  setConsent(c ? (c[1][0] as Consent) : config.consent || "full");
  startTransport();
  const parts = [startErrors, startNetwork, startActions, startViews, startVitals];
  for (const p of parts)
    try {
      p();
    } catch (x) {
      log(x);
    }
  // On the way out: end open actions and views, send with sendBeacon. Listens on
  // window in the bubble phase, so web-vitals (capture) has reported first.
  const bye = (e: Event) => {
    const gone = e.type == "pagehide";
    if (gone || document.visibilityState == "hidden") {
      activity();
      settle(true);
      if (gone) pageView();
      beacon();
    }
  };
  on("visibilitychange", bye, true);
  on("pagehide", bye, true);
  for (const [f, a] of early.splice(0)) f(...a);
}

/** Links the session to a user tag (full consent only); null clears it. Traits go into the identify event's props. */
export const identify = later((userTag: string | null, traits?: Props): void => {
  const u = userTag == null ? undefined : String(userTag).slice(0, 128) || undefined;
  if (level != "full") return;
  setUser(u);
  if (u) emit({ type: "identify", user: u, props: traits });
});

/** A custom event with properties (flat scalars). */
export const track = later((name: string, props?: Props): void => {
  if (name) emit({ type: "custom", name: String(name), props });
});

/** A conversion goal reached, with an optional value. */
export const conversion = later((name: string, value?: number, props?: Props): void => {
  if (name) emit({ type: "conversion", name: String(name), value: isFinite(value!) ? +value! : undefined, props });
});

/** Sets the consent level; without an argument, returns it. */
export const consent = (l?: Consent): Consent => (ready ? setConsent(l) : (early.push([setConsent, [l]]), l || "full"));

/** A tag added to the props of every later event; null or undefined removes it. */
export const setTag = later((key: string, value: Scalar | null | undefined): void => {
  if (value == null) delete tags[key];
  else tags[key] = value; // emit() applies the protocol limits
});

/** Ends the session (event session_end) and starts a new one without a user; sends what is queued. */
export const endSession = later((): Promise<void> => {
  if (level == "none") return Promise.resolve();
  emit({ type: "session_end" }, 0);
  renew();
  return send();
}, Promise.resolve());

/** Sends the queue now; settles when the attempts have ended (delivered, refused or scheduled for retry). */
export function flush(): Promise<void> {
  return ready ? send() : Promise.resolve();
}

/** State for tests and troubleshooting. */
export function _debug(): DebugState {
  return {
    consent: level,
    visitor: visitor || undefined,
    session: sess && sess.id,
    user: sess && sess.u,
    sampled: inSample(),
    endpoint: cfg.endpoint,
    queue: queued(),
    sent: sent.slice(),
  };
}

export const api: Waymark = { init, identify, track, conversion, consent, setTag, endSession, flush, _debug };
