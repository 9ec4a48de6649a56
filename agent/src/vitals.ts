import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricType } from "web-vitals";
import { emit } from "./core";
import { round } from "./util";
import { pageUrl } from "./views";

/** Core Web Vitals from Google's web-vitals: one vital event per report (url: the current view), props delta, id, rating, navigationType. */
export function startVitals() {
  const r = (m: MetricType) =>
    emit({ type: "vital", name: m.name, value: round(m.value), url: pageUrl(), props: { delta: round(m.delta), id: m.id, rating: m.rating, nav: m.navigationType } });
  for (const f of [onLCP, onINP, onCLS, onFCP, onTTFB]) f(r);
}
