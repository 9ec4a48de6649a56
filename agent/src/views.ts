import { cfg } from "./config";
import { emit } from "./core";
import { activity, current, setInitial, settle, watch, type Watch } from "./settle";
import type { Props } from "./types";
import { epoch, mask, ms, on, perf, safe, uuid } from "./util";

let initialId: string | undefined;
let initialUrl: URL | undefined;
/** Masked URL of the current view. */
let vu = "";
/** The current view's URL: the page of errors, INP and CLS. */
export const pageUrl = () => vu || undefined;
/** The URL the document was loaded (or restored from the back/forward cache) with: the page of LCP, FCP and TTFB. */
export const loadUrl = () => (initialUrl ? initialUrl.href : undefined);
let spa: Watch | undefined;

/** Default view name: the path (and hash route) with id-like segments (digits only, long tokens with digits, emails) as ":id". */
function viewName(u: URL): string {
  try {
    if (cfg.viewName) return cfg.viewName(u);
  } catch {
    /* fall back */
  }
  return (u.pathname + u.hash)
    .split("/")
    .map((s) => (/^\d+$|^(?=.*\d)[\w-]{8,}$|@/.test(s) ? ":id" : s))
    .join("/");
}

/**
 * The page view of the document load: ts = navigation start, duration =
 * loadEventEnd (else domContentLoadedEventEnd, else until now), navigation
 * timing as props; props.partial when it is sent before the page has loaded
 * (the page was left, or an SPA route changed first).
 */
export function pageView() {
  if (!initialId) return;
  const id = initialId;
  initialId = undefined;
  setInitial();
  const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const now = perf();
  const p: Props = { partial: document.readyState != "complete" || undefined };
  if (n) {
    p.ttfb = ms(n.responseStart);
    p.dom = ms(n.domInteractive);
    p.dcl = ms(n.domContentLoadedEventEnd);
    p.load = ms(n.loadEventEnd);
    p.nav = n.type;
    p.size = n.transferSize;
  }
  const r = mask(document.referrer);
  if (r && r.host != location.host) p.ref = r.hostname;
  const u = initialUrl!;
  emit(
    {
      id,
      type: "view",
      ts: epoch() - now,
      name: viewName(u),
      url: u.href,
      duration: ms((n && (n.loadEventEnd || n.domContentLoadedEventEnd)) || now),
      props: p,
    },
    2,
  );
}

/** An SPA route change (history API, popstate, hashchange): a view whose duration lasts until the DOM settles. */
function route() {
  const u = mask(location.href);
  if (!u || u.href == vu) return;
  vu = u.href;
  activity();
  pageView();
  if (spa) settle(spa);
  const id = uuid();
  const ts = epoch();
  const now = perf();
  const parent = current();
  watch(
    (spa = {
      id,
      t: now,
      l: now,
      p: 0,
      a: 0,
      min: 0,
      end(w, d) {
        if (spa == w) spa = undefined;
        emit(
          { id, type: "view", ts, name: viewName(u), url: u.href, duration: ms(d), action: parent, failed: w.f ? true : undefined, props: { spa: true } },
          2,
        );
      },
    }),
  );
}

export function startViews() {
  initialUrl = mask(location.href);
  vu = initialUrl ? initialUrl.href : "";
  if (initialUrl) setInitial((initialId = uuid()));
  const load = () => setTimeout(safe(pageView));
  if (document.readyState == "complete") load();
  else on("load", load, true);
  // a page restored from the back/forward cache is a view too
  on("pageshow", (e: PageTransitionEvent) => {
    const u = mask(location.href);
    if (e.persisted && u) emit({ type: "view", name: viewName(u), url: (vu = (initialUrl = u).href), duration: 0, props: { bfcache: true } }, 2);
  });
  if (cfg.spa) {
    for (const m of ["pushState", "replaceState"] as const) {
      const o = history[m];
      const r = safe(route);
      history[m] = function (this: History, ...a: Parameters<History["pushState"]>) {
        const x = o.apply(this, a);
        r();
        return x;
      };
    }
    on("popstate", route, true);
    if (cfg.hashRouting) on("hashchange", route, true);
  }
}
