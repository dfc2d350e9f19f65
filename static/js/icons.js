// Every icon of the browser pages, in one table, built with DOM calls (no markup strings, so the
// CSP needs no exception).
//
// - Most are Feather icons (MIT, see static/vendor/feather-icons/LICENSE), drawn from the vendored
//   sprite with <svg><use href="feather-sprite.svg#id"></svg>; the page's CSS gives them their
//   stroke (fill: none; stroke: currentColor), which the sprite's shapes inherit.
// - A few have no Feather equivalent (the QR code, a blank screen, a ranking, two ticks, ...):
//   those are Roundtable's own drawings in the same 24×24 line style, listed in DRAWN.
// - The phone's status glyphs are in glyphs.js (the phone page needs those only).
import { svgNode } from "./glyphs.js";

const SPRITE = new URL("../vendor/feather-icons/feather-sprite.svg", import.meta.url).pathname;

// Our name -> the Feather icon's id in the sprite.
const FEATHER = {
  alert: "alert-triangle",
  archive: "archive",
  ban: "slash",
  check: "check",
  child: "smile",
  clock: "clock",
  close: "x",
  coffee: "coffee",
  copy: "copy",
  down: "arrow-down",
  download: "download",
  edit: "edit-3",
  external: "external-link",
  eye: "eye",
  eyeOff: "eye-off",
  flag: "flag",
  inbox: "inbox",
  kindCloud: "cloud",
  kindMultiple: "check-square",
  kindPoints: "pie-chart",
  kindQuiz: "help-circle",
  kindRating: "star",
  kindSingle: "disc",
  lifebuoy: "life-buoy",
  list: "list",
  live: "radio",
  logout: "log-out",
  menu: "more-horizontal",
  message: "message-square",
  monitor: "monitor",
  plus: "plus",
  reset: "rotate-ccw",
  settings: "sliders",
  shield: "shield",
  split: "bar-chart",
  star: "star",
  trash: "trash-2",
  up: "arrow-up",
  user: "user",
};

// Roundtable's own line drawings (paths), where Feather has no icon for the idea.
const DRAWN = {
  blank: ["M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z", "M8 21h8", "M12 17v4", "M3 3l18 14"],
  chart: ["M3 3v18h18", "M7 14h4", "M7 10h10", "M7 6h7"],
  checks: ["M18 6 7 17l-5-5", "M22 10l-7.5 7.5L13 16"],
  kindRanking: ["M10 6h11", "M10 12h11", "M10 18h11", "M4 6h1v4", "M4 10h2", "M6 18H4c0-1 2-2 2-3s-1-1.5-2-1"],
  kindText: ["M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z", "M7 8h10", "M7 12h6"],
  play: ["M7 4.5v15l12-7.5z"],
  qr: ["M3 3h7v7H3z", "M14 3h7v7h-7z", "M3 14h7v7H3z", "M14 14h3v3h-3z", "M20 14v.01", "M14 20v.01", "M20 20h-3v-3"],
  stop: ["M6 6h12v12H6z"],
  undo: ["M3 7v6h6", "M21 17a9 9 0 0 0-15-6.7L3 13"],
};

// A console or moderation icon by name (FEATHER or DRAWN); an unknown name gives an empty icon.
export function icon(name, className = "icon") {
  const svg = svgNode("svg", { viewBox: "0 0 24 24", class: className, "aria-hidden": "true", focusable: "false" });
  if (FEATHER[name]) {
    svg.append(svgNode("use", { href: `${SPRITE}#${FEATHER[name]}` }));
  } else {
    for (const d of DRAWN[name] || []) svg.append(svgNode("path", { d }));
  }
  return svg;
}

// Fill every [data-icon] placeholder of a server-rendered frame (buttons in the templates).
export function decorateIcons(root = document) {
  for (const node of root.querySelectorAll("[data-icon]")) {
    if (!node.querySelector("svg.icon")) node.prepend(icon(node.dataset.icon));
  }
}
