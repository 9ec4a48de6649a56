// Self-check of dist/waymark.js in node, without a browser: a small fake
// window (DOM stubs, storage, history, fetch/XHR, sendBeacon, virtual clock)
// in a vm context. Every beacon is checked against protocol v1 as
// src/Waymark.Core/Protocol/BeaconParser.cs reads it. Run: npm run check
// (builds first) or node selfcheck.mjs. Exit code 1 on failure.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const CODE = readFileSync(new URL("./dist/waymark.js", import.meta.url), "utf8");
const ENDPOINT = "https://rum.example.com";
const START = Date.UTC(2025, 0, 15, 10, 0, 0);

// ---------------------------------------------------------------- protocol v1
const CHANNELS = ["web", "mobile", "kiosk", "checkin", "contact-center", "chat", "email", "social", "server"];
const TYPES = ["view", "action", "error", "request", "vital", "custom", "conversion", "identify", "session_end"];
const VITALS = ["LCP", "INP", "CLS", "FCP", "TTFB"];

/** Returns a list of faults, [] when the beacon is valid (BeaconParser.cs rules). */
function validate(b) {
  const f = [];
  const str = (o, k, max, path, req) => {
    const v = o[k];
    if (v == null) return req ? f.push(`${path}${k}: required`) : undefined;
    if (typeof v != "string") return f.push(`${path}${k}: not a string (${typeof v})`);
    if (v.length > max) f.push(`${path}${k}: ${v.length} > ${max}`);
  };
  const num = (o, k, min, max, path) => {
    const v = o[k];
    if (v == null) return;
    if (typeof v != "number" || !isFinite(v)) return f.push(`${path}${k}: not a number`);
    if (v < min || v > max) f.push(`${path}${k}: ${v} outside ${min}..${max}`);
  };
  const bool = (o, k, path) => o[k] != null && typeof o[k] != "boolean" && f.push(`${path}${k}: not a boolean`);
  const time = (o, k, path, req) => {
    const v = o[k];
    if (v == null) return req && f.push(`${path}${k}: required`);
    if (typeof v != "number" || v < 946684800000 || v > 7258118400000) f.push(`${path}${k}: not ms epoch (${v})`);
  };
  if (typeof b != "object" || !b || Array.isArray(b)) return ["$: not an object"];
  str(b, "app", 128, "", true);
  str(b, "key", 128, "");
  str(b, "channel", 32, "", true);
  if (!CHANNELS.includes(b.channel)) f.push("channel: unknown " + b.channel);
  str(b, "visitor", 128, "", true);
  if (b.visitor === "") f.push("visitor: empty");
  str(b, "session", 128, "");
  str(b, "user", 128, "");
  time(b, "sentAt", "");
  str(b, "ua", 1024, "");
  if (b.device != null) {
    for (const [k, m] of Object.entries({ class: 32, os: 64, osVersion: 64, browser: 64, browserVersion: 64, model: 128, locale: 35 }))
      str(b.device, k, m, "device.");
  }
  if (b.context != null) {
    str(b.context, "appVersion", 64, "context.");
    str(b.context, "touchpoint", 128, "context.");
  }
  if (!Array.isArray(b.events) || !b.events.length || b.events.length > 1000) return f.concat("events: 1..1000 required");
  b.events.forEach((e, i) => {
    const p = `events[${i}].`;
    str(e, "id", 128, p, true);
    if (!TYPES.includes(e.type)) f.push(p + "type: " + e.type);
    time(e, "ts", p, true);
    for (const k of ["name", "url", "message", "source", "target"]) str(e, k, 2048, p);
    str(e, "stack", 16384, p);
    str(e, "fingerprint", 128, p);
    str(e, "method", 16, p);
    str(e, "action", 128, p);
    str(e, "user", 128, p);
    num(e, "duration", 0, 86400000, p);
    num(e, "status", 0, 999, p);
    num(e, "value", -1e15, 1e15, p);
    for (const k of ["thirdParty", "failed", "fatal"]) bool(e, k, p);
    if (e.frustration != null) {
      if (!Array.isArray(e.frustration) || e.frustration.length > 3 || e.frustration.some((x) => !["rage", "dead", "error"].includes(x)))
        f.push(p + "frustration: " + JSON.stringify(e.frustration));
    }
    if (e.props != null) {
      if (typeof e.props != "object" || Array.isArray(e.props)) f.push(p + "props: not an object");
      else {
        const ks = Object.keys(e.props);
        if (ks.length > 32) f.push(p + "props: > 32");
        for (const k of ks) {
          const v = e.props[k];
          if (k.length > 64) f.push(p + "props name > 64");
          if (v !== null && typeof v == "object") f.push(p + "props." + k + ": not a scalar");
          if (typeof v == "string" && v.length > 512) f.push(p + "props." + k + ": > 512");
        }
      }
    }
    if (e.type == "error" && !e.message) f.push(p + "message: required for error");
    if (e.type == "request" && !e.url) f.push(p + "url: required for request");
    if (e.type == "vital" && (!VITALS.includes(e.name) || e.value == null)) f.push(p + "vital name/value");
    if ((e.type == "custom" || e.type == "conversion") && !e.name) f.push(p + "name: required");
    if (e.type == "identify" && !e.user) f.push(p + "user: required for identify");
  });
  return f;
}

// ---------------------------------------------------------------- fake window
function matches(e, sel) {
  return sel.split(",").some((s) => {
    const m = s.trim().match(/^([a-z]*)((?:\[[^\]]+\])*)$/i);
    if (!m || (m[1] && e.tagName.toLowerCase() != m[1])) return false;
    return [...m[2].matchAll(/\[([^=\]]+)(?:=([^\]]+))?\]/g)].every(([, k, v]) => {
      const a = e.getAttribute(k);
      return a != null && (v == null || a == v);
    });
  });
}

function element(tag, attrs = {}, parent = null) {
  return {
    nodeType: 1,
    tagName: tag.toUpperCase(),
    id: attrs.id || "",
    parentElement: parent,
    getAttribute: (k) => (k in attrs ? String(attrs[k]) : null),
    closest(sel) {
      for (let e = this; e; e = e.parentElement) if (matches(e, sel)) return e;
      return null;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

function env(opts = {}) {
  const clock = { epoch: START, perf: 2000, timers: new Map(), seq: 0 };
  const listeners = { window: {}, document: {} };
  const beacons = []; // every POST to the endpoint: { via, body, init, status }
  const appRequests = [];
  let loc = new URL(opts.url || "https://shop.example.com/products/12345?utm_source=news&token=secret#frag");
  const mos = [];
  const stores = [opts.localStorage || new Map(), new Map()].map((m) => ({
    _m: m,
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
  }));
  const server = { respond: opts.respond || (() => ({ status: 200 })) };

  const addL = (t) => (type, fn, o) => (listeners[t][type] = listeners[t][type] || []).push({ fn, o });
  const remL = (t) => (type, fn) => (listeners[t][type] = (listeners[t][type] || []).filter((l) => l.fn != fn));
  const fire = (t, type, ev = {}) => {
    ev.type = type;
    ev.isTrusted = true;
    for (const l of (listeners[t][type] || []).slice()) l.fn(ev);
  };

  class Headers {
    constructor(h = {}) {
      this.h = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    }
    get(k) {
      return this.h[k.toLowerCase()] ?? null;
    }
  }
  const later = (ms, fn) => setT(fn, ms);
  async function fetchImpl(input, init = {}) {
    const url = typeof input == "string" ? input : input.url || String(input);
    if (url.startsWith(ENDPOINT)) {
      const r = server.respond({ url, init });
      beacons.push({ via: "fetch", url, body: JSON.parse(init.body), raw: init.body, init, status: r.status || 0 });
      if (r.network) throw new TypeError("Failed to fetch");
      return { status: r.status, type: "cors", headers: new Headers(r.headers) };
    }
    appRequests.push({ url, init });
    const r = (opts.app || (() => ({ status: 200, delay: 50 })))(url, init);
    return new Promise((res, rej) =>
      later(r.delay ?? 50, () => (r.network ? rej(new TypeError("Failed to fetch")) : res({ status: r.status, type: r.type || "basic", headers: new Headers() }))),
    );
  }
  class XMLHttpRequest {
    constructor() {
      this.l = {};
      this.status = 0;
    }
    addEventListener(t, fn) {
      (this.l[t] = this.l[t] || []).push(fn);
    }
  }
  XMLHttpRequest.prototype.open = function (m, u) {
    this.m = m;
    this.u = u;
  };
  XMLHttpRequest.prototype.send = function () {
    const r = (opts.app || (() => ({ status: 200, delay: 50 })))(String(this.u), { method: this.m });
    appRequests.push({ url: String(this.u), xhr: true });
    later(r.delay ?? 50, () => {
      this.status = r.network ? 0 : r.status;
      for (const fn of this.l.loadend || []) fn({});
    });
  };

  function setT(fn, ms = 0, ...args) {
    const id = ++clock.seq;
    clock.timers.set(id, { at: clock.perf + Math.max(0, +ms || 0), fn, args });
    return id;
  }
  function setI(fn, ms = 0) {
    const id = ++clock.seq;
    clock.timers.set(id, { at: clock.perf + Math.max(1, +ms || 0), fn, every: Math.max(1, +ms || 0), args: [] });
    return id;
  }
  const clr = (id) => clock.timers.delete(id);

  const FakeDate = class extends Date {
    constructor(...a) {
      super(...(a.length ? a : [clock.epoch]));
    }
    static now() {
      return clock.epoch;
    }
  };
  const nav = {
    name: loc.href,
    entryType: "navigation",
    startTime: 0,
    responseStart: 180,
    domInteractive: 600,
    domContentLoadedEventEnd: 700,
    loadEventEnd: 1200,
    domainLookupStart: 10,
    domainLookupEnd: 30,
    connectStart: 30,
    connectEnd: 80,
    type: "navigate",
    transferSize: 12345,
  };
  const navigator = {
    userAgent: opts.ua || "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    language: "de-CH",
    maxTouchPoints: 0,
    globalPrivacyControl: opts.gpc,
    sendBeacon(url, body) {
      if (opts.noBeacon) return false;
      beacons.push({ via: "beacon", url, body: JSON.parse(body), raw: body, type: typeof body });
      return true;
    },
  };
  const ctx = {
    console,
    URL,
    URLSearchParams,
    TypeError,
    crypto: opts.noRandomUUID ? { getRandomValues: (a) => globalThis.crypto.getRandomValues(a) } : globalThis.crypto,
    Date: FakeDate,
    setTimeout: setT,
    setInterval: setI,
    clearTimeout: clr,
    clearInterval: clr,
    queueMicrotask,
    requestAnimationFrame: (fn) => setT(fn, 16),
    addEventListener: addL("window"),
    removeEventListener: remL("window"),
    localStorage: stores[0],
    sessionStorage: stores[1],
    navigator,
    fetch: fetchImpl,
    XMLHttpRequest,
    MutationObserver: class {
      constructor(cb) {
        this.cb = cb;
        this.on = false;
        mos.push(this);
      }
      observe() {
        this.on = true;
      }
      disconnect() {
        this.on = false;
      }
    },
    PerformanceObserver: class {
      static supportedEntryTypes = [];
      observe() {}
      disconnect() {}
      takeRecords() {
        return [];
      }
    },
    performance: {
      now: () => clock.perf,
      timeOrigin: START - 2000,
      getEntriesByType: (t) => (t == "navigation" ? [nav] : []),
    },
    history: {
      state: null,
      pushState(s, t, u) {
        loc = new URL(u, loc);
      },
      replaceState(s, t, u) {
        loc = new URL(u, loc);
      },
      back() {
        fire("window", "popstate", {});
      },
    },
    document: {
      readyState: "complete",
      visibilityState: "visible",
      referrer: "https://www.google.com/search?q=private",
      currentScript: { src: ENDPOINT + "/agent/v1/waymark.js" },
      createElement: (tag) => ({ tagName: tag.toUpperCase() }),
      head: { appendChild: (el) => (self.inserted = el) },
      addEventListener: addL("document"),
      removeEventListener: remL("document"),
    },
  };
  Object.defineProperty(ctx, "location", { get: () => ({ href: loc.href, hostname: loc.hostname, host: loc.host, origin: loc.origin, pathname: loc.pathname }) });
  vm.createContext(ctx);
  ctx.window = vm.runInContext("globalThis", ctx);
  if (opts.stub) ctx.window.waymark = opts.stub;

  const self = {
    inserted: null,
    ctx,
    clock,
    beacons,
    appRequests,
    server,
    storage: stores,
    load() {
      vm.runInContext(CODE, ctx, { filename: "waymark.js" });
      ctx.document.currentScript = null;
      return ctx.window.waymark;
    },
    get wm() {
      return ctx.window.waymark;
    },
    async advance(ms) {
      const end = clock.perf + ms;
      for (;;) {
        for (let i = 0; i < 5; i++) await tick();
        let next;
        for (const [id, t] of clock.timers) if (t.at <= end && (!next || t.at < next[1].at)) next = [id, t];
        if (!next) break;
        const [id, t] = next;
        clock.epoch += t.at - clock.perf;
        clock.perf = t.at;
        if (t.every) t.at += t.every;
        else clock.timers.delete(id);
        t.fn(...t.args);
      }
      clock.epoch += end - clock.perf;
      clock.perf = end;
      for (let i = 0; i < 5; i++) await tick();
    },
    click(el, x = 100, y = 100) {
      fire("document", "click", { target: el, clientX: x, clientY: y });
    },
    mutate() {
      for (const m of mos) if (m.on) m.cb([]);
    },
    fire,
    hide() {
      ctx.document.visibilityState = "hidden";
      fire("window", "visibilitychange", {});
    },
    pagehide() {
      fire("window", "pagehide", { persisted: false });
    },
    error(message, stack) {
      const err = vm.runInContext(`(() => { const e = new Error(${JSON.stringify(message)}); e.stack = ${JSON.stringify(stack)}; return e })()`, ctx);
      fire("window", "error", { message: "Uncaught Error: " + message, error: err, filename: "https://shop.example.com/app.js?v=3", lineno: 10, colno: 5 });
    },
    /** all events sent so far (any channel), in order */
    events(type) {
      const all = beacons.flatMap((b) => b.body.events.map((ev) => ({ ...ev, _b: b })));
      return type ? all.filter((x) => x.type == type) : all;
    },
  };
  return self;
}

// ---------------------------------------------------------------- runner
let failed = 0;
let passed = 0;
function ok(cond, msg, extra) {
  if (cond) passed++;
  else {
    failed++;
    console.log("  FAIL", msg, extra !== undefined ? JSON.stringify(extra).slice(0, 600) : "");
  }
}
const eq = (a, b, msg) => ok(JSON.stringify(a) === JSON.stringify(b), `${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
function validAll(e, msg) {
  for (const b of e.beacons) {
    const f = validate(b.body);
    ok(f.length == 0, msg + ": beacon valid", f);
  }
}
const tests = [];
const test = (name, fn) => tests.push([name, fn]);
const CFG = { app: "shop", key: "k1", allowedQueryParams: ["utm_source"], firstPartyHosts: ["example.com"], appVersion: "1.2.3", touchpoint: "webshop" };

// ---------------------------------------------------------------- tests
test("stub replay, header, initial page view", async () => {
  const e = env({ stub: { q: [["init", [CFG]], ["identify", ["user-42", { tier: "gold" }]], ["track", ["signup", { plan: "pro", nested: { x: 1 }, big: "x".repeat(600) }]]] } });
  const wm = e.load();
  ok(typeof wm.init == "function" && !wm.q, "stub object got the real API");
  const d = wm._debug();
  eq(d.endpoint, ENDPOINT, "endpoint defaults to the script's origin");
  eq(d.consent, "full", "consent");
  await e.advance(10);
  await wm.flush();
  ok(e.beacons.length == 1, "one beacon after flush", e.beacons.length);
  const b = e.beacons[0];
  eq(b.url, ENDPOINT + "/v1/beacon", "beacon URL");
  eq(typeof b.raw, "string", "body is a string (text/plain, no preflight)");
  eq(b.init.keepalive, true, "keepalive");
  eq(b.init.credentials, "omit", "credentials omitted");
  eq(b.init.headers, undefined, "no custom headers");
  eq([b.body.app, b.body.key, b.body.channel, b.body.user], ["shop", "k1", "web", "user-42"], "header");
  eq(b.body.device, { locale: "de-CH" }, "device: the server derives class, browser, OS from the User-Agent");
  eq(b.body.context, { appVersion: "1.2.3", touchpoint: "webshop" }, "context");
  eq(b.body.sentAt, e.clock.epoch, "sentAt is the send time");
  const v = e.events("view")[0];
  ok(v, "page view sent");
  eq(v.url, "https://shop.example.com/products/12345?utm_source=news", "view url masked (allowed query only, no fragment)");
  eq(v.name, "/products/:id", "view name");
  eq(v.duration, 1200, "view duration = loadEventEnd");
  eq(v.ts, START - 2000, "view ts = navigation start");
  eq([v.props.ttfb, v.props.dcl, v.props.load, v.props.nav, v.props.ref], [180, 700, 1200, "navigate", "www.google.com"], "view props");
  const ttfb = e.events("vital").find((x) => x.name == "TTFB");
  ok(ttfb, "TTFB vital from web-vitals", e.events("vital"));
  if (ttfb) {
    eq([ttfb.value, ttfb.props.rating, ttfb.props.delta], [180, "good", 180], "TTFB value, rating, delta");
    ok(ttfb.props.id && ttfb.url == v.url, "vital id and page url", ttfb);
  }
  const id = e.events("identify")[0];
  eq([id.user, id.props], ["user-42", { tier: "gold" }], "identify");
  const c = e.events("custom")[0];
  eq(c.name, "signup", "custom event");
  eq(c.props.nested, undefined, "nested prop dropped");
  eq(c.props.big.length, 512, "long prop truncated");
  validAll(e, "stub");
});

test("snippet.html: stub queues, the agent replays", async () => {
  const e = env();
  const html = readFileSync(new URL("./snippet.html", import.meta.url), "utf8");
  const js = html.match(/<script>([\s\S]*?)<\/script>/)[1];
  vm.runInContext(js + ";waymark.track('early', { n: 1 }); waymark.consent('full');", e.ctx);
  eq(e.inserted && e.inserted.src, ENDPOINT + "/agent/v1/waymark.js", "snippet inserts the script");
  ok(e.inserted.async, "async script");
  eq(e.wm.q.length, 3, "three calls queued");
  e.ctx.document.currentScript = e.inserted;
  e.load();
  vm.runInContext(js, e.ctx); // a second snippet run after load is harmless
  await e.advance(10);
  await e.wm.flush();
  eq(e.events("custom").map((x) => x.name), ["early"], "queued call replayed once");
  eq(e.beacons[0].body.app, "shop", "init from the snippet");
  eq(e.wm._debug().endpoint, ENDPOINT, "endpoint from the script URL");
  validAll(e, "snippet");
});

test("click actions: settle duration, dead, rage, error click", async () => {
  const e = env();
  const wm = e.load();
  wm.init({ ...CFG, endpoint: ENDPOINT + "/" });
  eq(wm._debug().endpoint, ENDPOINT, "trailing slash trimmed");
  await e.advance(10);
  const form = element("form", { id: "checkout" });
  const btn = element("button", { id: "buy", class: "btn btn-primary big extra", type: "submit", "aria-label": "Buy now" }, form);
  const span = element("span", {}, btn);
  const named = element("div", { "data-waymark-name": "Promo banner" });
  const input = element("input", { type: "text", name: "email", class: "field" });

  // 1. click with DOM changes for 300 ms
  e.click(span, 10, 10);
  await e.advance(100);
  e.mutate();
  await e.advance(200);
  e.mutate();
  await e.advance(1500);
  // 2. dead click on a named element
  e.click(named, 400, 400);
  await e.advance(1500);
  // 3. rage: 4 clicks in 600 ms on the same spot
  for (let i = 0; i < 4; i++) {
    e.click(named, 600 + i * 3, 600);
    await e.advance(150);
  }
  await e.advance(1500);
  // 4. error click
  e.click(btn, 50, 50);
  await e.advance(40);
  e.error("Cannot read properties of undefined (reading 'price')", "TypeError: x\n    at buy (https://shop.example.com/app.js?v=3:120:15)\n    at HTMLButtonElement.<anonymous> (https://shop.example.com/app.js?v=3:88:3)");
  await e.advance(1500);
  // 5. click on an input: never dead
  e.click(input, 900, 900);
  await e.advance(1500);
  await wm.flush();
  const acts = e.events("action");
  eq(acts.length, 5, "five actions");
  const [a1, a2, a3, a4, a5] = acts;
  eq(a1.target, "button#buy.btn.btn-primary.big[type=submit]", "target descriptor (3 classes, no text)");
  eq(a1.name, "click on Buy now", "name from aria-label");
  eq(a1.duration, 300, "duration until the last DOM change");
  eq(a1.frustration, undefined, "no frustration");
  eq(a2.name, "Promo banner", "data-waymark-name");
  eq(a2.frustration, ["dead"], "dead click");
  eq(a3.frustration, ["rage", "dead"], "rage click (merged)");
  eq(a3.props.clicks, 4, "clicks counted");
  eq(a4.frustration, ["dead", "error"], "error click");
  eq(a4.failed, true, "action with an error failed");
  eq(a5.frustration, undefined, "input click not dead");
  ok(!JSON.stringify(acts).includes("email@"), "no input values");
  const err = e.events("error")[0];
  eq(err.action, a4.id, "error belongs to the action");
  eq(err.url, "https://shop.example.com/products/12345?utm_source=news", "error page url");
  eq(err.source, "https://shop.example.com/app.js:120:15", "source from first frame, query dropped");
  ok(/^[0-9a-f]{1,8}$/.test(err.fingerprint), "fingerprint short hash", err.fingerprint);
  validAll(e, "actions");
});

test("error fingerprints ignore numbers; unhandled rejections; caps", async () => {
  const e = env();
  const wm = e.load();
  wm.init(CFG);
  await e.advance(10);
  const st = "Error: x\n    at load (https://shop.example.com/app.js:5:7)";
  e.error("Item 123 missing", st);
  e.error("Item 456 missing", st);
  e.error("Other problem", st);
  const reason = vm.runInContext("new RangeError('bad range')", e.ctx);
  e.fire("window", "unhandledrejection", { reason });
  e.fire("window", "unhandledrejection", { reason: "plain string" });
  e.fire("window", "error", { target: {} }); // a resource error: ignored
  for (let i = 0; i < 10; i++) e.error("Loop error", st);
  await wm.flush();
  const errs = e.events("error");
  eq(errs[0].fingerprint, errs[1].fingerprint, "same fingerprint without numbers");
  ok(errs[0].fingerprint != errs[2].fingerprint, "different message, different fingerprint");
  eq(errs[3].message, "RangeError: bad range", "rejection with an Error");
  eq(errs[4].message, "Unhandled rejection: plain string", "rejection with a string");
  eq(errs.length, 5 + 5, "resource error ignored, repeats capped at 5");
  eq(errs[0].action, undefined, "no action open");
  validAll(e, "errors");
});

test("fetch and XHR: masking, third party, status, failures, action", async () => {
  const e = env({
    app: (url) => (url.includes("fail") ? { network: true, delay: 30 } : url.includes("500") ? { status: 500, delay: 30 } : { status: 200, delay: 80 }),
  });
  const wm = e.load();
  wm.init(CFG);
  await e.advance(10);
  const btn = element("button", { id: "load" });
  e.click(btn);
  const settle = async (p, ms = 200) => {
    let out;
    p.then((x) => (out = x), () => (out = "rejected"));
    await e.advance(ms);
    return out;
  };
  const first = { r: undefined };
  e.ctx.window.fetch("/api/items?page=2&utm_source=x&token=abc#x", { method: "post" }).then((x) => (first.r = x));
  e.mutate();
  await e.advance(2000);
  eq(first.r && first.r.status, 200, "the page sees the real response");
  await settle(e.ctx.window.fetch("https://api.stripe.com/v1/charges?secret=1"));
  eq(await settle(e.ctx.window.fetch(new URL("https://cdn.example.com/fail"))), "rejected", "the page sees the failure");
  await settle(e.ctx.window.fetch("https://other.test/500"));
  const x = new e.ctx.XMLHttpRequest();
  x.open("GET", "https://api.example.com/v2/profile?id=7");
  x.send();
  await e.advance(100);
  await settle(e.ctx.window.fetch("data:text/plain,hi"));
  await wm.flush();
  const reqs = e.events("request");
  const act = e.events("action")[0];
  const [r1, r2, r3, r4, r5] = reqs;
  eq([r1.url, r1.method, r1.status, r1.duration, r1.thirdParty, r1.failed], ["https://shop.example.com/api/items?utm_source=x", "POST", 200, 80, false, undefined], "first-party fetch");
  eq(r1.action, act.id, "request belongs to the click");
  eq(act.duration, 80, "action lasts until the request ended");
  eq([r2.url, r2.thirdParty], ["https://api.stripe.com/v1/charges", true], "third-party fetch");
  eq([r3.url, r3.status, r3.failed, r3.thirdParty], ["https://cdn.example.com/fail", 0, true, false], "network failure; firstPartyHosts suffix");
  eq([r4.status, r4.failed], [500, true], "server error");
  eq([r5.url, r5.method, r5.status, r5.thirdParty], ["https://api.example.com/v2/profile", "GET", 200, false], "XHR");
  eq(reqs.length, 5, "data: URLs and beacons not captured");
  validAll(e, "requests");
});

test("a request the browser cancels as the page is left is not a failure", async () => {
  const e = env({ app: () => ({ network: true, delay: 30 }) });
  const wm = e.load();
  wm.init(CFG);
  await e.advance(10);
  const btn = element("button", { id: "more" });
  e.click(btn);
  e.ctx.window.fetch("/api/more").catch(() => {});
  await e.advance(10);
  e.pagehide();
  await e.advance(100);
  await wm.flush();
  const r = e.events("request")[0];
  eq(r && [r.status, r.failed, r.props && r.props.aborted], [0, undefined, true], "aborted, not failed");
  eq(e.events("action")[0].failed, undefined, "its action did not fail");
});

test("SPA route changes", async () => {
  const e = env({ url: "https://shop.example.com/" });
  const wm = e.load();
  wm.init(CFG);
  await e.advance(10);
  const link = element("a", { href: "/cart", class: "nav" });
  e.click(link);
  e.ctx.history.pushState({}, "", "/cart?step=1&utm_source=a");
  e.mutate();
  await e.advance(60);
  e.mutate();
  await e.advance(2000);
  e.ctx.history.replaceState({}, "", "/cart?step=2&utm_source=a"); // same masked URL: no view
  await e.advance(500);
  e.ctx.history.pushState({}, "", "/orders/8f3a9c2e-11aa-4b7e-9d0f-1234567890ab");
  await e.advance(500);
  await wm.flush();
  const views = e.events("view");
  eq(views.map((v) => v.name), ["/", "/cart", "/orders/:id"], "views");
  eq(views[1].url, "https://shop.example.com/cart?utm_source=a", "SPA url masked");
  eq(views[1].duration, 60, "SPA view lasts until the DOM settles");
  eq(views[1].props, { spa: true }, "spa prop");
  const act = e.events("action")[0];
  eq(views[1].action, act.id, "view caused by the click");
  eq(act.frustration, undefined, "navigation: not dead");
  validAll(e, "spa");
});

test("delivery: 503 Retry-After, localStorage queue, same ids, 4xx dropped", async () => {
  let mode = "503";
  const e = env({
    respond: () => (mode == "503" ? { status: 503, headers: { "Retry-After": "30" } } : mode == "400" ? { status: 400 } : mode == "net" ? { network: true } : { status: 200 }),
  });
  const wm = e.load();
  wm.init(CFG);
  await e.advance(10);
  wm.track("a");
  await wm.flush();
  eq(e.beacons.length, 1, "first attempt");
  const q = JSON.parse(e.storage[0].getItem("wm_q"));
  ok(q && q.length == 1 && q[0].e.length == e.beacons[0].body.events.length, "batch kept in localStorage", q && q.map((b) => b.e.map((x) => x.type)));
  wm.track("b");
  await wm.flush();
  eq(e.beacons.length, 1, "no send while the server asked to wait");
  await e.advance(20000);
  eq(e.beacons.length, 1, "still waiting at 20 s");
  mode = "ok";
  await e.advance(11000);
  eq(e.beacons.length, 3, "retried after Retry-After, then the next batch");
  const ids1 = e.beacons[0].body.events.map((x) => x.id);
  const ids2 = e.beacons[1].body.events.map((x) => x.id);
  eq(ids2, ids1, "retry carries the same event ids");
  ok(e.beacons[1].body.sentAt > e.beacons[0].body.sentAt, "sentAt set at each attempt");
  eq(e.storage[0].getItem("wm_q"), null, "queue emptied after delivery");
  mode = "400";
  wm.track("c");
  await wm.flush();
  eq(wm._debug().queue.length, 0, "400: dropped");
  eq(e.storage[0].getItem("wm_q"), null, "400: not stored");
  mode = "net";
  wm.track("d");
  await wm.flush();
  eq(wm._debug().queue.length, 1, "network failure: kept");
  mode = "ok";
  await e.advance(5000);
  eq(wm._debug().queue.length, 0, "network failure: retried with backoff");
  validAll(e, "delivery");
});

test("queue caps: maxQueue events, maxQueueBytes", async () => {
  const e = env({ respond: () => ({ network: true }) });
  const wm = e.load();
  wm.init({ ...CFG, maxQueue: 10, batchSize: 4, maxQueueBytes: 3000 });
  await e.advance(10);
  for (let i = 0; i < 40; i++) wm.track("t" + i, { pad: "x".repeat(100) });
  await wm.flush();
  await e.advance(600e3);
  const n = wm._debug().queue.reduce((a, b) => a + b.events.length, 0);
  ok(n <= 10, "memory queue capped at maxQueue", n);
  const stored = e.storage[0].getItem("wm_q") || "[]";
  ok(stored.length <= 3000, "stored queue capped at maxQueueBytes", stored.length);
  ok(JSON.parse(stored).length >= 1, "something kept", stored.length);
});

test("a new page takes up the stored queue", async () => {
  const shared = new Map();
  const e1 = env({ localStorage: shared, respond: () => ({ status: 503, headers: { "Retry-After": "1" } }) });
  const wm1 = e1.load();
  wm1.init(CFG);
  await e1.advance(10);
  wm1.track("x");
  await wm1.flush();
  const sentIds = e1.beacons[0].body.events.map((x) => x.id);
  const e2 = env({ localStorage: shared });
  const wm2 = e2.load();
  wm2.init(CFG);
  await e2.advance(1500);
  const again = e2.beacons.find((b) => b.body.events.some((x) => x.id == sentIds[0]));
  ok(again, "stored batch sent by the next page");
  eq(again && again.body.session, e1.beacons[0].body.session, "with its own header");
  eq(wm2._debug().visitor, wm1._debug().visitor, "same visitor across pages");
  eq(wm2._debug().session, wm1._debug().session, "same session across pages");
});

test("pagehide: sendBeacon with a text body; partial view before load", async () => {
  const e = env();
  e.ctx.document.readyState = "loading";
  const wm = e.load();
  wm.init(CFG);
  const btn = element("button", {});
  e.click(btn);
  await e.advance(200);
  e.pagehide();
  eq(e.beacons.length, 1, "one beacon");
  eq([e.beacons[0].via, e.beacons[0].type], ["beacon", "string"], "sendBeacon with a string");
  const v = e.events("view")[0];
  eq(v && v.props.partial, true, "view sent as partial");
  const a = e.events("action")[0];
  eq([a.duration, a.frustration], [200, undefined], "open action ended by the navigation, not dead");
  validAll(e, "pagehide");
});

test("hidden without sendBeacon: queue persisted for the next page", async () => {
  const e = env({ noBeacon: true });
  const wm = e.load();
  wm.init(CFG);
  await e.advance(10);
  wm.track("z");
  e.hide();
  const q = JSON.parse(e.storage[0].getItem("wm_q") || "[]");
  ok(q.length == 1, "stored", q);
});

test("sessions: inactivity, max actions, endSession, sampling", async () => {
  const e = env();
  const wm = e.load();
  wm.init({ ...CFG, sessionMaxActions: 5 });
  await e.advance(10);
  const s0 = wm._debug().session;
  for (let i = 0; i < 3; i++) {
    await e.advance(20 * 60e3);
    e.ctx.window.fetch("/api/poll");
  }
  await e.advance(100);
  eq(wm._debug().session, s0, "any event keeps the session alive (as on the server)");
  const s1 = wm._debug().session;
  wm.track("t");
  await e.advance(31 * 60e3);
  wm.track("t");
  const s2 = wm._debug().session;
  ok(s2 != s1, "new session after 30 min idle");
  const el = element("button", {});
  for (let i = 0; i < 6; i++) {
    e.click(el, i * 100);
    await e.advance(1200);
  }
  const s3 = wm._debug().session;
  ok(s3 != s2, "the 6th action starts a new session (max 5)");
  await wm.endSession();
  const s4 = wm._debug().session;
  ok(s4 != s3, "endSession starts a new session");
  const end = e.events("session_end")[0];
  eq(end && end._b.body.session, s3, "session_end sent with the ended session");
  eq(wm._debug().user, undefined, "no user after endSession");
  validAll(e, "sessions");

  const picks = [];
  for (let i = 0; i < 40; i++) {
    const x = env();
    const w = x.load();
    w.init({ ...CFG, sampleRate: 0.5 });
    picks.push(w._debug().sampled);
    if (!w._debug().sampled) {
      w.track("no");
      await w.flush();
      if (x.beacons.length) ok(false, "unsampled session sent events");
    }
  }
  ok(picks.some(Boolean) && picks.some((p) => !p), "sampleRate 0.5 samples some sessions", picks);
});

test("privacy: cookieless, GPC, consent none, anonymous", async () => {
  const e = env();
  const wm = e.load();
  wm.init({ ...CFG, cookieless: true });
  await e.advance(10);
  wm.track("a");
  await wm.flush();
  eq([...e.storage[0]._m.keys(), ...e.storage[1]._m.keys()], [], "cookieless: no storage");
  ok(e.beacons.length == 1 && e.beacons[0].body.visitor, "cookieless: still sends with an in-memory visitor");
  eq(e.beacons[0].body.consent, "full", "cookieless: consent full (ids in memory only)");

  const g = env({ gpc: true });
  const wg = g.load();
  wg.init(CFG);
  eq(wg.consent(), "anonymous", "GPC caps consent at anonymous");
  eq(wg.consent("full"), "anonymous", "GPC: full stays anonymous");
  wg.identify("someone");
  await g.advance(10);
  await wg.flush();
  eq(g.events("identify").length, 0, "anonymous: identify ignored");
  eq(g.beacons[0].body.user, undefined, "anonymous: no user");
  eq(g.beacons[0].body.consent, "anonymous", "the batch says its consent, for the server to enforce");
  eq([...g.storage[0]._m.keys()], [], "anonymous: no storage");

  const n = env();
  const wn = n.load();
  wn.init(CFG);
  await n.advance(10);
  wn.identify("u1");
  ok(n.storage[0].getItem("wm_v"), "full: visitor stored");
  wn.consent("none");
  eq([...n.storage[0]._m.keys(), ...n.storage[1]._m.keys()], [], "none: storage cleared");
  wn.track("x");
  n.click(element("button", {}));
  await n.advance(2000);
  await wn.flush();
  eq(n.beacons.length, 0, "none: nothing sent");
  wn.consent("anonymous");
  wn.track("y");
  await wn.flush();
  eq(n.events("custom").map((x) => x.name), ["y"], "anonymous again: sends");
  eq(n.beacons[0].body.user, undefined, "user dropped when consent fell");

  for (const q of [[["consent", ["anonymous"]], ["init", [CFG]]], [["init", [CFG]], ["consent", ["anonymous"]]]]) {
    const p = env({ stub: { q } });
    const wp = p.load();
    eq(wp._debug().consent, "anonymous", "consent queued with init wins over the default");
    eq([...p.storage[0]._m.keys()], [], "nothing stored, not even for a moment");
  }
});

test("iPad as a Mac is a tablet", async () => {
  const e = env({ ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15" });
  e.ctx.navigator.maxTouchPoints = 5;
  const wm = e.load();
  wm.init(CFG);
  await e.advance(10);
  await wm.flush();
  eq(e.beacons[0].body.device, { class: "tablet", locale: "de-CH" }, "tablet");
});

test("tags, conversion, beforeSend, ids without randomUUID", async () => {
  const e = env({ noRandomUUID: true });
  const wm = e.load();
  wm.init({ ...CFG, beforeSend: (ev) => (ev.name == "secret" ? null : ev) });
  await e.advance(10);
  wm.setTag("ab", "B");
  wm.conversion("purchase", 99.5, { currency: "CHF" });
  wm.track("secret");
  wm.setTag("ab", null);
  wm.track("after");
  await wm.flush();
  const c = e.events("conversion")[0];
  eq([c.name, c.value, c.props], ["purchase", 99.5, { ab: "B", currency: "CHF" }], "conversion with tag");
  eq(e.events("custom").map((x) => x.name), ["after"], "beforeSend dropped one");
  eq(e.events("custom")[0].props, undefined, "tag removed");
  ok(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(c.id), "fallback v4 UUID", c.id);
  validAll(e, "misc");
});

for (const [name, fn] of tests) {
  console.log("-", name);
  try {
    await fn();
  } catch (x) {
    failed++;
    console.log("  FAIL (threw)", x && x.stack);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
