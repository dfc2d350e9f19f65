// Languages in the browser: the page's strings and the facilitators' two-language content.
//
// - t("English text", {name: value}) gives the text in the page's language (<html lang>), from the
//   catalogue the server puts in the page (<script type="application/json" id="i18n">, built from
//   roundtable/translations/*.po: no build step). A string missing from it stays English.
//   Placeholders are written %(name)s, as in the Python side's messages.
// - tn(singular, plural, n, vars) picks the plural form (English and Kiswahili both have two).
// - localiseView(view) gives a participant or screen view its content in the page's language:
//   each `x` with a `x_sw` twin becomes the Kiswahili one when the page is in Kiswahili and the
//   twin is not empty (else the English stays: the fallback). The server sends both, since one
//   `state` message reaches every phone of the room whatever its language.

export const lang = (document.documentElement.lang || "en").slice(0, 2);

let catalogue = null;
function messages() {
  if (catalogue === null) {
    // The joined phone module carries its strings (web/assets.py); other pages, a data block.
    catalogue = globalThis.__roundtableStrings || {};
    const node = document.getElementById("i18n");
    if (node) {
      try {
        catalogue = JSON.parse(node.textContent) || {};
      } catch {
        catalogue = {};
      }
    }
  }
  return catalogue;
}

function fill(text, vars = {}) {
  // "%%" is a literal "%" (as in Python's %-formatting, which the translation files share).
  return text.replace(/%\((\w+)\)s|%%/g, (whole, name) => (whole === "%%" ? "%" : name in vars ? String(vars[name]) : whole));
}

export function t(message, vars) {
  const found = messages()[message];
  return fill(typeof found === "string" && found ? found : message, vars);
}

export function tn(singular, plural, n, vars = {}) {
  const found = messages()[singular];
  const forms = Array.isArray(found) && found[0] ? found : [singular, plural];
  return fill(n === 1 ? forms[0] : forms[1] || forms[0], { num: n, ...vars });
}

// The Kiswahili twin of `obj[key]`, when the page is in Kiswahili and there is one.
function pick(obj, key) {
  if (!obj || lang !== "sw") return;
  const twin = obj[`${key}_sw`];
  if (typeof twin === "string" && twin.trim()) obj[key] = twin;
  else if (Array.isArray(twin) && twin.length) obj[key] = twin;
}

function localiseItem(item) {
  if (!item) return;
  pick(item, "title");
  pick(item, "points");
  pick(item, "day");
}

function localisePoll(poll) {
  if (!poll) return;
  pick(poll, "question");
  for (const option of poll.options || []) pick(option, "label");
  if (poll.settings) {
    pick(poll.settings, "min_label");
    pick(poll.settings, "max_label");
  }
}

export function localiseView(view) {
  if (!view || lang !== "sw") return view;
  pick(view.event, "title");
  pick(view, "helpline");
  localiseItem(view.item);
  localiseItem(view.next);
  for (const poll of view.polls || []) localisePoll(poll);
  localisePoll(view.poll);
  for (const day of view.agenda || []) {
    pick(day, "title");
    for (const item of day.items || []) localiseItem(item);
  }
  return view;
}
