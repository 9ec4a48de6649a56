import { cfg } from "./config";
import { emit } from "./core";
import { current, watches } from "./settle";
import { fnv, mask, on, perf } from "./util";
import { pageUrl } from "./views";

const seen: Record<string, number> = {};
let total = 0;

/**
 * Reports a JS error: message, stack, source (file:line:col, query
 * dropped), fingerprint (hash of the message without numbers and the first
 * stack frame), and the user action it happened in. At most 5 of one
 * fingerprint and 100 in all per page.
 */
export function report(err: unknown, message: string, file?: string, line?: number, col?: number) {
  const stack = err && (err as Error).stack ? String((err as Error).stack).slice(0, 4000) : undefined;
  const m = stack && stack.match(/(\w+:\/\/[^\s)]+?):(\d+):(\d+)/);
  if (m) [, file, line, col] = m as unknown as [string, string, number, number];
  const f = file && mask(file);
  const source = f ? f.href + ":" + line + ":" + col : undefined;
  const fingerprint = fnv(message.replace(/\d+/g, "") + "|" + (source || "")).toString(16);
  if ((seen[fingerprint] = (seen[fingerprint] || 0) + 1) > 5 || ++total > 100) return;
  const now = perf();
  for (const w of watches()) {
    w.f = 1;
    if (now - w.t <= cfg.errorClickWindow) w.e = 1;
  }
  emit({ type: "error", message: message || "Error", url: pageUrl(), stack, source, fingerprint, action: current() });
}

export function startErrors() {
  on("error", (e: ErrorEvent) => {
    // resource load errors reach window (capture) as plain Events: not JS errors
    if (e.message || e.error) report(e.error, e.message || String(e.error), e.filename, e.lineno, e.colno);
  });
  on("unhandledrejection", (e: PromiseRejectionEvent) => {
    const r = e.reason;
    report(r, r instanceof Error ? String(r) : "Unhandled rejection: " + String(r));
  });
}
