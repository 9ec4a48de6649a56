/**
 * Waymark browser agent, ES module build. Nothing runs until init().
 *
 *   import waymark from "@waymark/agent";
 *   waymark.init({ app: "shop", endpoint: "https://rum.example.com" });
 */
import { api } from "./api";

export { init, identify, track, conversion, consent, setTag, endSession, flush, _debug, VERSION } from "./api";
export type { Config, Consent, DebugState, Props, Scalar, Waymark, WaymarkEvent, EventType, Frustration } from "./types";
export default api;
