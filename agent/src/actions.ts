import { cfg } from "./config";
import { emit, touch } from "./core";
import { settle, watch, type Watch } from "./settle";
import type { Frustration } from "./types";
import { epoch, ms, on, perf, uuid } from "./util";

/** Elements a click is attributed to when it lands inside them. */
const TARGET =
  "a,button,input,select,textarea,label,summary,[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox],[role=option],[data-waymark-name]";
/** Clicks here often change nothing visible by design: never dead clicks. */
const NO_DEAD = "input,textarea,select,label,[contenteditable],a[download],video";

interface Act extends Watch {
  x: number;
  y: number;
  /** clicks merged into this action (rage) */
  c: number;
  ts: number;
  name: string;
  target: string;
  nd: boolean;
}

let cur: Act | undefined;

/**
 * A privacy-safe element descriptor: tag#id.class1.class2.class3[role][type][name].
 * Never text content, never input values.
 */
export function describe(el: Element): string {
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  const c = (el.getAttribute("class") || "").split(/\s+/).filter(Boolean).slice(0, 3);
  if (c.length) s += "." + c.join(".");
  for (const a of ["role", "type", "name"]) {
    const v = el.getAttribute(a);
    if (v) s += "[" + a + "=" + v + "]";
  }
  return s.slice(0, 256);
}

function onClick(e: MouseEvent) {
  let el = e.target as Element | null;
  if (el && el.nodeType != 1) el = el.parentElement;
  if (!el || !el.closest || el.closest("[data-waymark-ignore]")) return;
  const now = perf();
  const c = cur;
  // definitions.md "Rage click": rageClicks clicks within rageWindow ms and rageRadius px
  if (c && now - c.t <= cfg.rageWindow && Math.hypot(e.clientX - c.x, e.clientY - c.y) <= cfg.rageRadius) {
    c.c++;
    return;
  }
  if (c) settle(c);
  const t = el.closest(TARGET) || el;
  const named = el.closest("[data-waymark-name]");
  const d = describe(t);
  touch(true);
  watch(
    (cur = {
      id: uuid(),
      t: now,
      l: now,
      p: 0,
      a: 0,
      // stays open for the dead click and rage click windows
      min: Math.max(cfg.deadClickWindow, cfg.rageWindow),
      x: e.clientX,
      y: e.clientY,
      c: 1,
      ts: epoch(),
      name: named ? named.getAttribute("data-waymark-name")! : "click on " + (t.getAttribute("aria-label") || d),
      target: d,
      nd: !!el.closest(NO_DEAD),
      end,
    } as Act),
  );
}

function end(w: Watch, d: number) {
  const a = w as Act;
  if (cur == a) cur = undefined;
  const fr: Frustration[] = [];
  if (a.c >= cfg.rageClicks) fr.push("rage");
  // definitions.md "Dead click": no DOM change, navigation or request within deadClickWindow
  if (!a.a && !a.nd) fr.push("dead");
  // definitions.md "Error click": a JS error within errorClickWindow
  if (a.e) fr.push("error");
  emit({
    id: a.id,
    type: "action",
    ts: a.ts,
    name: a.name,
    target: a.target,
    duration: ms(d),
    frustration: fr.length ? fr : undefined,
    failed: a.f ? true : undefined,
    props: a.c > 1 ? { clicks: a.c } : undefined,
  });
}

export function startActions() {
  on("click", onClick, false, document);
}
