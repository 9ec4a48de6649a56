import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricType } from "web-vitals";
import { emit } from "./core";
import { round } from "./util";
import { loadUrl, pageUrl } from "./views";

/**
 * Core Web Vitals from Google's web-vitals: one vital event per report, props delta, id, rating, navigationType.
 * url: for the load metrics (LCP, FCP, TTFB) the URL the page was loaded with, as CrUX counts them (LCP is often
 * reported on the first click, after an SPA route change it caused); for INP and CLS the current view.
 */
export function startVitals() {
  const r = (m: MetricType) =>
    emit({
      type: "vital",
      name: m.name,
      value: round(m.value),
      url: m.name == "INP" || m.name == "CLS" ? pageUrl() : loadUrl(),
      props: { delta: round(m.delta), id: m.id, rating: m.rating, nav: m.navigationType },
    });
  for (const f of [onLCP, onINP, onCLS, onFCP, onTTFB]) f(r);
}
