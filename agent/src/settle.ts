import { cfg } from "./config";
import { perf } from "./util";

/**
 * An open user action (a click action or an SPA view) waiting for the page
 * to settle: no DOM mutation for cfg.settleQuiet ms and no request pending,
 * capped at cfg.actionTimeout.
 */
export interface Watch {
  id: string;
  /** start, performance.now() ms */
  t: number;
  /** last activity, performance.now() ms */
  l: number;
  /** requests pending */
  p: number;
  /** activity seen: DOM change, request, navigation (1) */
  a: number;
  /** stays open at least this long (ms): the dead and rage click windows */
  min: number;
  /** a JS error within cfg.errorClickWindow of the start (error click) */
  e?: number;
  /** a JS error or a failed request (status 0 or >= 500) while open */
  f?: number;
  end(w: Watch, duration: number): void;
}

let ws: Watch[] = [];
let mo: MutationObserver | undefined;
let tick: ReturnType<typeof setInterval> | 0 = 0;
let initial: string | undefined;

export const watches = () => ws;

/** The initial page view's id until that view is sent. */
export const setInitial = (id?: string) => (initial = id);

/** The user action an event belongs to: the newest open action or view, else the loading page view. */
export const current = () => (ws.length ? ws[ws.length - 1].id : initial);

export function watch(w: Watch) {
  ws.push(w);
  if (!tick) {
    tick = setInterval(settle, 50);
    try {
      (mo = mo || new MutationObserver(() => activity())).observe(document, {
        childList: true,
        subtree: true,
        characterData: true,
        // not "style": animations would keep the page from settling
        attributeFilter: ["class", "hidden", "open", "disabled", "src", "aria-expanded"],
      });
    } catch {
      /* no MutationObserver */
    }
  }
}

/** Something happened: a DOM change, a request starting or ending, a navigation. */
export function activity() {
  const t = perf();
  for (const w of ws) {
    w.a = 1;
    w.l = t;
  }
}

/**
 * Ends the watches that have settled or timed out; with force=true all of
 * them (the page is being hidden: duration until now), with a watch that one
 * (superseded by a new action or view: duration until its last activity).
 */
export function settle(force?: boolean | Watch) {
  const now = perf();
  ws = ws.filter((w) => {
    const el = now - w.t;
    const d =
      el >= cfg.actionTimeout
        ? cfg.actionTimeout
        : force === true
          ? el
          : force == w || (!w.p && now - w.l >= cfg.settleQuiet && el >= w.min)
            ? w.l - w.t
            : -1;
    if (d < 0) return true;
    try {
      w.end(w, d);
    } catch {
      /* never break the page */
    }
    return false;
  });
  if (!ws.length && tick) {
    clearInterval(tick);
    tick = 0;
    if (mo) mo.disconnect();
  }
}
