// A short message at the bottom of the phone (a vote that could not be saved after its poll left
// the screen, a help request that went out later): tap to dismiss, gone after 8 seconds.
import { el } from "../live.js";

let toastTimer = 0;

export function notify(text) {
  let node = document.getElementById("toast");
  if (!node) {
    node = el("div", {
      id: "toast",
      class: "toast",
      role: "alert",
      "data-testid": "toast",
      onclick: () => node.classList.add("hidden"), // tap to dismiss
    });
    document.body.append(node);
  }
  node.textContent = text;
  node.classList.remove("hidden");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => node.classList.add("hidden"), 8000);
}
