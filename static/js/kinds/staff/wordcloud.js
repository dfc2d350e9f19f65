// Word cloud, the console's part (kinds/staff/index.js adds it to kinds/wordcloud.js).
import { el } from "../../live.js";
import { icon } from "../../icons.js";
import { plural, questionSays } from "../../text.js";
import { t, tn } from "../../i18n.js";

// --- the console: a moderator clicks a word to hide it -------------------------------------------

function decorateCloud(node, poll) {
  const cloud = node.querySelector(".cloud");
  if (!cloud) return;
  cloud.removeAttribute("role"); // the words are buttons here, not list items
  for (const word of cloud.querySelectorAll(".cloud-word")) {
    const text = word.dataset.word;
    const count = Number(word.dataset.count || 0);
    word.dataset.testid = `word-${poll.id}-${text}`;
    word.setAttribute("role", "button");
    word.tabIndex = 0;
    word.title = `“${text}”: ${plural(count, "entry", "entries")}. Click to hide it from the cloud.`;
    word.setAttribute("aria-label", `Hide “${text}” (${plural(count, "entry", "entries")})`);
  }
  let hint = node.querySelector(":scope > .cloud-hint");
  if (!hint) {
    hint = el("p", { class: "cloud-hint" }, icon("eyeOff"), el("span", { text: t("Click a word to hide it from phones and the projector.") }));
    node.append(hint);
  }
  hint.hidden = !cloud.children.length;
}

// staff: {act(name, payload, options), findPoll(id)} from the console.
function watchWordClicks(node, pollId, staff) {
  const hide = (word) => {
    const found = staff.findPoll(pollId);
    if (found && word) hideWord(found.poll, word.dataset.word, staff);
  };
  node.addEventListener("click", (ev) => hide(ev.target.closest(".cloud-word")));
  node.addEventListener("keydown", (ev) => {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches(".cloud-word")) {
      ev.preventDefault();
      hide(ev.target);
    }
  });
}

function hideWord(poll, word, staff) {
  if (!confirm(t("Hide “%(word)s” from the cloud?", { word }) + "\n\n" + t("It disappears from phones and the projector, and anyone who sends it later stays hidden too. You can show it again."))) return;
  staff.act("staff:word_hide", { poll_id: poll.id, word, hidden: true }, { anyStaff: true, success: t("“%(word)s” is hidden from the cloud", { word }) });
}

// The words a moderator hid from a cloud, each with "Show again".
function hiddenWords(poll, staff) {
  const words = (poll.settings && poll.settings.hidden_words) || [];
  return el("div", { class: `hidden-words${words.length ? "" : " is-empty"}`, "data-testid": `hidden-words-${poll.id}` },
    el("span", { class: "hidden-words-label" }, icon("eyeOff"), t("Hidden words (%(count)s)", { count: words.length })),
    el("ul", { class: "hidden-word-list" }, words.map((word) =>
      el("li", { class: "hidden-word" },
        el("span", { class: "hidden-word-text", text: word }),
        el("button", {
          type: "button", class: "hidden-word-show", "data-testid": `show-word-${poll.id}-${word}`, title: t("Show “%(word)s” in the cloud again", { word }),
          onclick: (ev) => staff.act("staff:word_hide", { poll_id: poll.id, word, hidden: false }, { button: ev.currentTarget, anyStaff: true, success: t("“%(word)s” is back in the cloud", { word }) }),
        }, t("Show again"))))));
}

// --- the editor ----------------------------------------------------------------------------------

function wordsBlock() {
  return [
    el("div", { class: "field narrow-field" },
      el("label", { class: "field-label", for: "poll-max-words", text: t("Words per person") }),
      el("select", { id: "poll-max-words", name: "max_words", "data-testid": "poll-max-words" },
        el("option", { value: "1", text: t("1 word") }),
        el("option", { value: "2", text: t("Up to 2 words") }),
        el("option", { value: "3", text: t("Up to 3 words") }))),
  ];
}

// --- the projector: the cloud fits the screen ------------------------------------------------------
// Whatever the number of words: find the largest base size at which it fits, on an invisible
// copy (the real words keep their size transition), then apply it.
const CLOUD_REM = { min: 1.25, max: 3 };

function fitCloud(chart) {
  const cloud = chart.querySelector(".cloud");
  if (!cloud || cloud.classList.contains("empty")) return;
  const style = getComputedStyle(chart);
  const room = chart.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const probe = cloud.cloneNode(true);
  probe.classList.add("cloud-probe");
  probe.style.width = `${cloud.clientWidth}px`;
  chart.append(probe);
  let low = CLOUD_REM.min;
  let high = CLOUD_REM.max;
  probe.style.fontSize = `${high}rem`;
  if (probe.offsetHeight <= room) {
    low = high;
  } else {
    for (let i = 0; i < 7; i++) {
      const mid = (low + high) / 2;
      probe.style.fontSize = `${mid}rem`;
      if (probe.offsetHeight <= room) low = mid;
      else high = mid;
    }
  }
  probe.remove();
  cloud.style.fontSize = `${low.toFixed(3)}rem`;
}

export default {
  label: t("Word cloud"), // the console's, in its language (kinds/wordcloud.js keeps the English one)
  help: t("A few words each, sized by how often"),
  icon: "kindCloud",
  hasOptions: false,
  freeText: true,
  nouns: ["word", "words"],
  groupHeld: true, // a hundred children may send "safe": one decision for all of them
  premoderateTitle: t("Hold every entry for a moderator"),
  summary(poll) {
    const most = (poll.settings || {}).max_words;
    return most ? (most === 1 ? t("Word cloud · 1 word") : t("Word cloud · up to %(n)s words", { n: most })) : t("Word cloud");
  },  describe(poll) {
    return tn("Each person gives up to %(num)s word; the room sees a word cloud.", "Each person gives up to %(num)s words; the room sees a word cloud.", (poll.settings || {}).max_words || 3);
  },  staff: { watch: watchWordClicks, decorate: decorateCloud, section: hiddenWords },
  editor: {
    block: wordsBlock,
    fill(f, poll) {
      f.max_words.value = String(((poll && poll.settings) || {}).max_words || 3);
    },
    // Keep the words a moderator hid (read now: someone may have hidden one meanwhile).
    collect(f, { poll }) {
      const hidden = poll && poll.kind === "wordcloud" ? poll.settings.hidden_words || [] : [];
      return { value: { max_words: Number(f.max_words.value), premoderate: f.premoderate.checked, hidden_words: hidden } };
    },
  },
  // The projector's (screen/results-panel.js): its one-line instruction, and the cloud sized to the screen.
  screenHint(poll) {
    if (questionSays(poll, "words?")) return "";
    const most = Number((poll.settings || {}).max_words) || 1;
    return most > 1 ? t("Up to %(max)s words", { max: most }) : t("One word");
  },
  fitScreen: fitCloud,
};
