// The console's part of the free-text kinds (word cloud, open text).
import { el } from "../../live.js";

// "Hold every … for a moderator": one editor block for every free-text kind (the poll's
// settings.premoderate). The console's poll editor shows it under the kind's own block.
export function premoderateBlock() {
  return [
    el("label", { class: "check" },
      el("input", { type: "checkbox", name: "premoderate", "data-testid": "poll-premoderate" }),
      el("span", {},
        el("span", { class: "check-title", "data-role": "premoderate-title", text: "Hold every answer for a moderator" }),
        el("span", {
          class: "check-help",
          "data-role": "premoderate-help",
          text: "Nothing reaches the projector or the phones until a moderator approves it. Answers the safety check flags (phone numbers, abuse…) are held in any case.",
        }))),
  ];
}
