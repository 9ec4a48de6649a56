/**
 * Public types of the Waymark browser agent. The wire format is beacon
 * protocol v1 (src/Waymark.Core/Protocol/BeaconParser.cs on the server).
 */

/**
 * Consent levels.
 * - `"full"`: visitor and session ids are kept in first-party storage
 *   (localStorage/sessionStorage), `identify()` links the session to a user tag,
 *   undelivered batches are kept in localStorage for a later retry.
 * - `"anonymous"`: nothing is stored on the device; ids live in memory only (a new
 *   visitor and session per page load), `identify()` is ignored and no user tag
 *   is sent. Performance, errors and actions are still measured.
 * - `"none"`: nothing is captured or sent, and the agent's stored ids and queue
 *   are removed.
 */
export type Consent = "none" | "anonymous" | "full";

export type Scalar = string | number | boolean;
/** A flat object of scalars (the protocol's `props`). Null/undefined values are left out. */
export type Props = Record<string, Scalar | null | undefined>;

export type EventType =
  | "view"
  | "action"
  | "error"
  | "request"
  | "vital"
  | "custom"
  | "conversion"
  | "identify"
  | "session_end";

export type Frustration = "rage" | "dead" | "error";

/** One event of a beacon (protocol v1). */
export interface WaymarkEvent {
  id: string;
  type: EventType;
  ts: number;
  name?: string;
  url?: string;
  duration?: number;
  status?: number;
  method?: string;
  thirdParty?: boolean;
  value?: number;
  message?: string;
  stack?: string;
  source?: string;
  fingerprint?: string;
  target?: string;
  frustration?: Frustration[];
  action?: string;
  props?: Record<string, Scalar>;
  failed?: boolean;
  fatal?: boolean;
  user?: string;
}

export interface Config {
  /** App id as registered on the server. Required. */
  app: string;
  /** Base URL of the Waymark server; beacons go to `{endpoint}/v1/beacon`.
   *  Default: the origin the script tag was loaded from (IIFE), else the page origin. */
  endpoint?: string;
  /** Ingest key of the app, if the server requires one. */
  key?: string;
  /** Share of sessions recorded, 0..1; decided from the session id, so a session is all in or all out. Default 1. */
  sampleRate?: number;
  /** Query parameters kept in page and request URLs; all others are dropped. Default []. */
  allowedQueryParams?: string[];
  /** Hosts counted as first party besides the page host; "example.com" (also ".example.com", "*.example.com") covers the host and its subdomains. Default []. */
  firstPartyHosts?: string[];
  /** Never use storage: visitor and session ids in memory only. Default false. */
  cookieless?: boolean;
  /** Honour navigator.globalPrivacyControl: consent is capped at "anonymous". Default true. */
  respectGpc?: boolean;
  /** Consent level at start (see Consent). Default "full". */
  consent?: Consent;
  /** Events held for delivery (memory and retry queue); the oldest batches are dropped beyond it. Default 500. */
  maxQueue?: number;
  /** Size cap of the localStorage retry queue, in characters. Default 262144. */
  maxQueueBytes?: number;
  /** A batch is sent as soon as it has this many events. Default 30. */
  batchSize?: number;
  /** Milliseconds between sends. Default 5000. */
  flushInterval?: number;
  /** Sent as context.appVersion. */
  appVersion?: string;
  /** Sent as context.touchpoint. */
  touchpoint?: string;
  /** Track SPA route changes (history API, popstate). Default true. */
  spa?: boolean;
  /** Keep the hash path ("#/route", without its query) in URLs and views, for hash routers. Default false. */
  hashRouting?: boolean;
  /** Name of a view from its (masked) URL. Default: the path with id-like segments replaced by ":id". */
  viewName?: (url: URL) => string;
  /** Last chance to change or drop (return null/false) an event before it is queued. */
  beforeSend?: (event: WaymarkEvent) => WaymarkEvent | null | undefined | false;
  /** definitions.md "Sessions": time without an event that ends a session, ms. Default 1800000 (30 min). */
  sessionInactivity?: number;
  /** definitions.md "Sessions": longest session, ms. Default 21600000 (6 h). */
  sessionMaxDuration?: number;
  /** definitions.md "Sessions": user actions (views + actions) per session. Default 200. */
  sessionMaxActions?: number;
  /** definitions.md "Rage click": clicks that make a rage click. Default 3. */
  rageClicks?: number;
  /** Rage click window, ms. Default 1000. */
  rageWindow?: number;
  /** Rage click radius, px. Default 30. */
  rageRadius?: number;
  /** definitions.md "Dead click": window for a DOM change, navigation or request, ms. Default 1000. */
  deadClickWindow?: number;
  /** definitions.md "Error click": window for a JS error after a click, ms. Default 100. */
  errorClickWindow?: number;
  /** The page has settled after this long without DOM mutation and with no request pending, ms. Default 100. */
  settleQuiet?: number;
  /** Cap on action and SPA view durations, ms. Default 10000. */
  actionTimeout?: number;
  /** Log events and deliveries to the console. Default false. */
  debug?: boolean;
}

/** The agent's public API, also the shape of `window.waymark`. */
export interface Waymark {
  init(config: Config): void;
  identify(userTag: string | null, traits?: Props): void;
  track(name: string, props?: Props): void;
  conversion(name: string, value?: number, props?: Props): void;
  consent(level?: Consent): Consent;
  setTag(key: string, value: Scalar | null | undefined): void;
  endSession(): Promise<void>;
  flush(): Promise<void>;
  _debug(): DebugState;
}

/** What `_debug()` shows, for tests. */
export interface DebugState {
  consent: Consent;
  visitor?: string;
  session?: string;
  user?: string;
  sampled: boolean;
  endpoint: string;
  /** Batches waiting for delivery (copies). */
  queue: { id: string; attempts: number; next: number; events: WaymarkEvent[] }[];
  /** Outcome of the last deliveries, newest last (at most 20). */
  sent: { batch: string; events: number; status: number; via: "fetch" | "beacon" }[];
}
