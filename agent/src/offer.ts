/**
 * In-page interventions, loaded by the agent (as a module, with import())
 * only when a beacon's answer names it: the app has a rule with a widget
 * action. Opens the page's push channel and, for every intervention:
 * 1. dispatches a cancelable `waymark:intervention` event on window, and
 *    calls `window.waymarkIntervention(detail)` when the page defines it; the
 *    page takes the intervention by cancelling the event or returning true;
 * 2. otherwise shows the default widget for `chat-offer`: an accessible,
 *    non-modal dialog announced politely, with "Chat with us" and "No thanks".
 * What the customer does is reported back (shown, accepted, dismissed) and,
 * when accepted, tracked in the journey and announced to the page with a
 * `waymark:chat` event so the page opens its chat.
 */

interface Intervention {
  firing: string;
  action: number;
  rule: string;
  widget?: string;
  message?: string;
  session?: string;
}

export interface InterventionDetail extends Intervention {
  accept(): void;
  dismiss(): void;
}

declare global {
  interface Window {
    waymarkIntervention?: (d: InterventionDetail) => boolean | void;
    waymark?: { track?: (name: string, props?: Record<string, string | number | boolean>) => void };
  }
}

const me = new URL(import.meta.url);
const app = me.searchParams.get("app") || "";
const base = me.origin;

function report(d: Intervention, kind: string) {
  fetch(`${base}/v1/agent/interventions/${encodeURIComponent(d.firing)}/${kind}?app=${encodeURIComponent(app)}&action=${d.action}`, {
    method: "POST",
    keepalive: true,
    credentials: "omit",
  }).catch(() => {});
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, css: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.style.cssText = css;
  if (text) e.textContent = text;
  return e;
}

/** The default chat offer: a labelled, non-modal dialog in a polite live region; Escape dismisses. */
function chatOffer(d: InterventionDetail) {
  if (document.getElementById("waymark-offer")) return;
  const box = el("div", "position:fixed;right:16px;bottom:16px;z-index:2147483647;max-width:320px;padding:16px;background:#fff;color:#111;border:2px solid #1a56db;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.2);font:16px/1.4 system-ui,sans-serif");
  box.id = "waymark-offer";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-live", "polite");
  box.setAttribute("aria-labelledby", "waymark-offer-title");
  box.setAttribute("aria-describedby", "waymark-offer-text");
  const title = el("h2", "margin:0 0 8px;font-size:18px", "Need a hand?");
  title.id = "waymark-offer-title";
  const text = el("p", "margin:0 0 12px", d.message || "We can help you finish your order. Would you like to chat with us?");
  text.id = "waymark-offer-text";
  const btn = "margin-right:8px;padding:8px 12px;font:inherit;border-radius:6px;cursor:pointer;border:1px solid #1a56db;";
  const yes = el("button", btn + "background:#1a56db;color:#fff", "Chat with us");
  const no = el("button", btn + "background:#fff;color:#1a56db", "No thanks");
  yes.type = no.type = "button";
  yes.id = "waymark-offer-accept";
  no.id = "waymark-offer-dismiss";
  const close = () => box.remove();
  yes.onclick = () => {
    d.accept();
    close();
  };
  no.onclick = () => {
    d.dismiss();
    close();
  };
  box.onkeydown = (e) => {
    if (e.key == "Escape") no.click();
  };
  box.append(title, text, yes, no);
  document.body.append(box);
  report(d, "shown");
}

function take(d: Intervention) {
  let done = 0;
  const detail: InterventionDetail = {
    ...d,
    accept() {
      if (done++) return;
      report(d, "accepted");
      window.waymark?.track?.("intervention_accepted", { rule: d.rule, firing: d.firing, widget: d.widget || "" });
      window.dispatchEvent(new CustomEvent("waymark:chat", { detail: d }));
    },
    dismiss() {
      if (done++) return;
      report(d, "dismissed");
    },
  };
  const ev = new CustomEvent("waymark:intervention", { detail, cancelable: true });
  const taken = !window.dispatchEvent(ev) || window.waymarkIntervention?.(detail) === true;
  if (!taken && d.widget == "chat-offer") chatOffer(detail);
}

new EventSource(`${base}/v1/agent/interventions${me.search}`).addEventListener("intervention", (e) => {
  try {
    take(JSON.parse((e as MessageEvent).data));
  } catch {
    /* a malformed message: nothing to show */
  }
});
