// One polite aria-live region for the phone: new polls and "Vote received" are said to screen
// readers here (the cards themselves are not live regions, so nothing else is read twice).
import { el } from "../live.js";

const region = el("div", { class: "sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true", "data-testid": "announcer", id: "announcer" });
document.body.append(region);
let timer = null;

export function announce(text) {
  // Cleared first, then set a moment later: a screen reader reads the same words again.
  region.textContent = "";
  clearTimeout(timer);
  timer = setTimeout(() => {
    region.textContent = text;
  }, 60);
}
