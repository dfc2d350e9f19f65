// The phone's connection: the pill in the header and the banner under it. Votes, questions and
// help requests wait for the connection by themselves (live.js); this only says so.
import { phone } from "./state.js";
import { t } from "../i18n.js";

const { state } = phone;
const phonePill = document.getElementById("conn-status");
const phoneBanner = document.getElementById("conn-banner");

const PILL = {
  connecting: [t("Connecting…"), ""],
  online: [t("Connected"), "online"],
  reconnecting: [t("Reconnecting…"), "offline reconnecting"],
  offline: [t("Offline"), "offline"],
  refused: [t("Not connected"), "offline refused"],
};

// "Connected" (the socket is up) is not "Session live" (a session is running now, polls may
// open): the pill tells them apart.
export function renderPill() {
  const status = state.connection;
  let [text, classes] = PILL[status] || PILL.offline;
  const item = state.view && state.view.item;
  if (status === "online" && item && !item.is_break) [text, classes] = [t("Session live"), "online live"];
  if (phonePill.textContent !== text) phonePill.textContent = text;
  phonePill.className = `status-pill conn-pill ${classes}`.trim();
}

// panels: what else shows the connection ({setConnection(status)}: the wall, the help sheet).
export function setPhoneConnection(status, message, panels = []) {
  state.connection = status;
  if (status === "online") state.everOnline = true;
  renderPill();
  document.body.dataset.connection = status;

  let line = "";
  if (!state.everOnline && (status === "reconnecting" || status === "offline")) {
    line = t("Can't reach the server yet. Check your Wi-Fi or mobile data: we keep trying.");
  } else if (status === "reconnecting") {
    line = t("Reconnecting… Your answers are kept and sent when you're back.");
  } else if (status === "offline") {
    line = t("You're offline. Your answers are kept and sent when you're back.");
  } else if (status === "refused") line = message || t("This page could not connect.");
  phoneBanner.textContent = line;
  phoneBanner.classList.toggle("hidden", !line);
  phoneBanner.classList.toggle("is-error", status === "refused");
  // The tab bar sticks just under the header, and under the banner while it shows.
  document.documentElement.style.setProperty("--banner-height", `${line ? phoneBanner.offsetHeight : 0}px`);
  phone.renderPolls(); // "Sending…" becomes "Waiting for the connection…" and back
  for (const panel of panels) panel.setConnection(status);
}
