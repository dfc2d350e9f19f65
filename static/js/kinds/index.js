// The poll kinds of the browser pages: ONE list. A kind is one module beside this one, the
// browser half of one class in roundtable/polls/kinds.py (same `name`, `label` and `renderer`),
// with what every page needs:
//
//   name, label        the kind's id and its staff label (the Python class's)
//   phoneLabel         the chip on the phone's poll card ("Choose one")
//   renderer           the drawing the server names in poll.renderer (CSS: .results-<renderer>)
//   draw(container, poll, tally)          its results, on every page
//   markMine(box, answer)                 optional: the phone marks its own answer in them
//   widget(ctx)        the phone's answer widget (interface: kinds/free-text.js)
//
// and its console and projector part in kinds/staff/<name>.js (joined to it by
// kinds/staff/index.js, which the console and the projector import instead of this list; the
// phone never downloads it):
//
//   screenHint(poll)   the projector's one-line instruction ("" when the question says it)
//   fitScreen(chart)   optional: size the drawing to the projector's screen
//   help, icon         its card in the console's poll editor (icon: a name from icons.js)
//   hasOptions, maxOptions, hasCorrect, freeText (+ nouns, premoderateTitle, groupHeld)
//                      what the editor asks for; freeText kinds get the moderation block and the
//                      console's "waiting for you" list
//   summary(poll)      the console card's tag ("Rating 1–5"); describe(poll): a draft's preview
//   staff              optional console extras: decorate(node, poll, tally), watch(node, pollId,
//                      staff), section(poll, staff)
//   editor             optional: block() -> nodes of its settings, fill(form.elements, poll),
//                      collect(form.elements, {poll, item, optionCount}) -> {value} | {error,
//                      field}, and wire(elements) / sync(elements, item) / optionCount(elements, n)
//
// Adding a kind: write kinds/<name>.js, import it here and add it to KINDS (the order is the
// editor's); then its console part, kinds/staff/<name>.js, in kinds/staff/index.js.
import multiple from "./multiple.js";
import opentext from "./opentext.js";
import points from "./points.js";
import quiz from "./quiz.js";
import ranking from "./ranking.js";
import rating from "./rating.js";
import single from "./single.js";
import wordcloud from "./wordcloud.js";

export const KINDS = [single, multiple, quiz, rating, ranking, points, wordcloud, opentext];

const BY_NAME = new Map(KINDS.map((kind) => [kind.name, kind]));

// The kind called `name`, or null (a kind this page does not know: a newer server).
export function kindOf(name) {
  return BY_NAME.get(name) || null;
}

// How to draw a poll's results: its kind's drawing, else that of a kind with the same renderer,
// else bars.
export function drawingFor(poll) {
  const kind = kindOf(poll.kind) || KINDS.find((k) => k.renderer === poll.renderer) || single;
  return kind.draw;
}
