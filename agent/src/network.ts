import { cfg } from "./config";
import { emit } from "./core";
import { activity, current, watches, type Watch } from "./settle";
import { epoch, mask, ms, on, perf, safe, thirdParty } from "./util";

interface Req {
  m: string;
  u: URL;
  t: number;
  ts: number;
  w: Watch[];
  act?: string;
}

/** A request starts: it belongs to the open user action(s), which now wait for it. */
function start(method: string | undefined, href: string): Req | undefined {
  const u = mask(href);
  if (!u || u.href.indexOf(cfg.endpoint + "/") == 0) return;
  const w = watches().slice();
  for (const x of w) x.p++;
  activity();
  return { m: (method || "GET").toUpperCase(), u, t: perf(), ts: epoch(), w, act: current() };
}

/** The page has been left (pagehide, until a pageshow). */
let gone: boolean | undefined;

/**
 * A request ends: status 0 is a network failure; failed means status 0 or >= 400 (not for aborted or opaque requests).
 * Chromium cancels a page's pending requests just before pagehide when the page is left, and fetch rejects
 * as for a network failure: a status 0 is judged a task later, when a page being left has had its pagehide
 * (the request is then aborted, not failed; usually the page is gone by then and nothing is reported).
 */
function end(r: Req, status: number, aborted?: boolean, opaque?: boolean, later?: 1) {
  if (!(status || aborted || opaque || later)) return void setTimeout(safe(() => end(r, 0, gone, false, 1)));
  const known = !opaque && !aborted;
  const t = perf();
  for (const x of r.w) {
    x.p--;
    x.l = t;
    // an action fails with its requests' network failures and server errors
    if (known && (!status || status >= 500)) x.f = 1;
  }
  emit({
    type: "request",
    ts: r.ts,
    url: r.u.href,
    method: r.m,
    status: opaque ? undefined : status,
    duration: ms(t - r.t),
    failed: (known && (!status || status >= 400)) || undefined,
    thirdParty: thirdParty(r.u),
    action: r.act,
    props: { aborted: aborted || undefined },
  });
}

/** Wraps window.fetch and XMLHttpRequest; the wrappers never change what the page sees. */
export function startNetwork() {
  on("pagehide", () => (gone = true));
  on("pageshow", () => (gone = false));
  const f = window.fetch;
  if (f)
    window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      let r: Req | undefined;
      try {
        r = start((init && init.method) || (input as Request).method, (input as Request).url || String(input));
      } catch {
        /* never break fetch */
      }
      const p = f.apply(this, arguments as unknown as Parameters<typeof fetch>);
      if (r)
        p.then(
          safe((x: Response) => end(r!, x.status, false, x.type == "opaque")),
          safe((e: unknown) => end(r!, 0, (e as Error)?.name == "AbortError")),
        );
      return p;
    };
  const X = window.XMLHttpRequest && XMLHttpRequest.prototype;
  if (!X) return;
  const open = X.open;
  const send = X.send;
  const meta = new WeakMap<XMLHttpRequest, [string, string]>();
  X.open = function (this: XMLHttpRequest, m: string, u: string | URL) {
    meta.set(this, [m, String(u)]);
    return open.apply(this, arguments as unknown as Parameters<typeof open>);
  } as typeof open;
  X.send = function (this: XMLHttpRequest) {
    const a = meta.get(this);
    let r: Req | undefined;
    let aborted = false;
    try {
      r = a && start(a[0], a[1]);
    } catch {
      /* never break XHR */
    }
    if (r) {
      this.addEventListener("abort", () => (aborted = true));
      this.addEventListener("loadend", safe(() => end(r!, this.status, aborted)));
    }
    return send.apply(this, arguments as unknown as Parameters<typeof send>);
  };
}
