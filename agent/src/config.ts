import type { Config } from "./types";

/** Defaults of the options (README "Configuration"; those not listed default to undefined/false); thresholds follow definitions.md. */
export const defaults = {
  sampleRate: 1,
  allowedQueryParams: [] as string[],
  firstPartyHosts: [] as string[],
  respectGpc: true,
  consent: "full" as Config["consent"],
  maxQueue: 500,
  maxQueueBytes: 262144,
  batchSize: 30,
  flushInterval: 5000,
  spa: true,
  // definitions.md, "Sessions"
  sessionInactivity: 30 * 60e3,
  sessionMaxDuration: 6 * 3600e3,
  sessionMaxActions: 200,
  // definitions.md, "Frustration signals"
  rageClicks: 3,
  rageWindow: 1000,
  rageRadius: 30,
  deadClickWindow: 1000,
  errorClickWindow: 100,
  settleQuiet: 100,
  actionTimeout: 10e3,
};

export type Resolved = typeof defaults & Config & { endpoint: string };

/** The configuration in force (defaults until init). */
export const cfg = { ...defaults } as Resolved;
