// The phone's connection: the pill in the header and the banner under it. Votes, questions and
// help requests wait for the connection by themselves (live.js); this only says so.
import { phone } from "./state.js";

const { state } = phone;
const phonePill = document.getElementById("conn-status");
const phoneBanner = document.getElementById("conn-banner");

const PILL = {
  connecting: ["Connecting…", ""],
  online: ["Live", "online"],
  reconnecting: ["Reconnecting…", "offline reconnecting"],
  offline: ["Offline", "offline"],
  refused: ["Not connected", "offline refused"],
};

// panels: what else shows the connection ({setConnection(status)}: the wall, the help sheet).
export function setPhoneConnection(status, message, panels = []) {
  state.connection = status;
  if (status === "online") state.everOnline = true;
  const [text, classes] = PILL[status] || PILL.offline;
  phonePill.textContent = text;
  phonePill.className = `status-pill conn-pill ${classes}`.trim();
  document.body.dataset.connection = status;

  let line = "";
  if (!state.everOnline && (status === "reconnecting" || status === "offline")) {
    line = "Can't reach the server yet. Check your Wi-Fi or mobile data: we keep trying.";
  } else if (status === "reconnecting") {
    line = "Reconnecting… Your answers are kept and sent when you're back.";
  } else if (status === "offline") {
    line = "You're offline. Your answers are kept and sent when you're back.";
  } else if (status === "refused") line = message || "This page could not connect.";
  phoneBanner.textContent = line;
  phoneBanner.classList.toggle("hidden", !line);
  phoneBanner.classList.toggle("is-error", status === "refused");
  // The tab bar sticks just under the header, and under the banner while it shows.
  document.documentElement.style.setProperty("--banner-height", `${line ? phoneBanner.offsetHeight : 0}px`);
  phone.renderPolls(); // "Sending…" becomes "Waiting for the connection…" and back
  for (const panel of panels) panel.setConnection(status);
}
