// The phone's status glyphs (GLYPHS): Roundtable's own bolder drawings, sized to sit inside the
// small coloured discs of the question wall; glyph() sets their stroke itself. Apart from the
// console's icons (icons.js), which the phone page does not download.
const SVG_NS = "http://www.w3.org/2000/svg";

// The phone's glyphs: Roundtable's own drawings, as [tag, attributes] shapes.
const GLYPHS = {
  check: [["path", { d: "m5 12.5 4.5 4.5L19 7.5" }]],
  clock: [["circle", { cx: "12", cy: "12", r: "9" }], ["path", { d: "M12 7v5l3.5 2" }]],
  alert: [["path", { d: "M12 6.5v7" }], ["path", { d: "M12 17.5v.01" }]],
  info: [["path", { d: "M12 11v6" }], ["path", { d: "M12 7.5v.01" }]],
  lock: [["rect", { x: "5", y: "11", width: "14", height: "10", rx: "2" }], ["path", { d: "M8 11V8a4 4 0 0 1 8 0v3" }]],
  shield: [["path", { d: "M12 3 5 6v5.5c0 4.3 3 8 7 9.5 4-1.5 7-5.2 7-9.5V6z" }], ["path", { d: "m9 12 2 2 4-4" }]],
  upvote: [["path", { d: "M12 4.5 19 12.5h-4.2V19H9.2v-6.5H5z", fill: "currentColor" }]],
  bubble: [["path", { d: "M4 5.5h16v10.5H10l-4.5 3.5V16H4z" }]],
};

export function svgNode(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

// A phone glyph by name (GLYPHS), stroked in currentColor.
export function glyph(name, { stroke = 2, className = "icon" } = {}) {
  const svg = svgNode("svg", {
    class: className, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", "stroke-width": String(stroke),
    "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false",
  });
  for (const [tag, attrs] of GLYPHS[name] || []) svg.append(svgNode(tag, attrs));
  return svg;
}
