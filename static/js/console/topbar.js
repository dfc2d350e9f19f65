// The console's top bar: the projector link (copy / open), settings, the connection pill, and the
// banner under the bar (a moderator's read-only note, an expired login).
import { el } from "../live.js";
import { icon } from "../icons.js";
import { toast } from "./actions.js";
import { $, canRun, desk } from "./store.js";
import { t } from "../i18n.js";

const connectionPill = $('[data-testid="connection"]');
const consoleBanner = $('[data-testid="console-banner"]');

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall through to the older way */ }
  }
  // Plain http on a venue network is not a secure context: use a temporary text field.
  const area = el("textarea", { class: "sr-only", readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  return ok;
}

$('[data-testid="copy-screen-link"]').addEventListener("click", async (ev) => {
  const ok = await copyText(ev.currentTarget.dataset.copy);
  if (ok) toast("Projector link copied. Open it on the projector's computer.", "ok");
  else toast("Could not copy: use “Open” and copy the address bar.", "error");
});
$('[data-testid="settings-open"]').addEventListener("click", () => desk.settings.open("event"));

export function setConsoleConnection(status) {
  const labels = { online: t("Connected"), offline: t("Reconnecting…"), refused: t("Not connected") };
  connectionPill.className = `status-pill ${status}`;
  connectionPill.textContent = labels[status] || "Connecting…";
  document.body.classList.toggle("is-offline", status !== "online");
}

export function showBanner(message, link = null) {
  consoleBanner.replaceChildren(icon("alert"), el("span", { text: message }));
  if (link) consoleBanner.append(el("a", { href: link.href, text: link.text }));
  consoleBanner.classList.remove("hidden");
}

export function applyRole() {
  document.body.classList.toggle("read-only", !canRun());
  if (!canRun()) {
    showBanner(`You are logged in as a ${desk.state.me.role}: you can follow the session here, but only facilitators can run polls and the screen.`);
  }
}
