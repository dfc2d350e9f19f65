// The poll kinds as the console and the projector see them: each kind of kinds/index.js (what
// every page draws and the phone answers with) joined with its part here (editor card and settings,
// summary, moderation extras, the projector's hint; the fields are listed in kinds/index.js).
// These parts live apart so that the phone, which never edits or projects a poll, does not
// download them.
//
// Adding a kind: kinds/<name>.js and kinds/index.js, then kinds/staff/<name>.js and PARTS below.
import { KINDS } from "../index.js";
import multiple from "./multiple.js";
import opentext from "./opentext.js";
import points from "./points.js";
import quiz from "./quiz.js";
import ranking from "./ranking.js";
import rating from "./rating.js";
import single from "./single.js";
import wordcloud from "./wordcloud.js";

const PARTS = { single, multiple, quiz, rating, ranking, points, wordcloud, opentext };

// In the editor's order (that of kinds/index.js).
export const STAFF_KINDS = KINDS.map((kind) => ({ ...kind, ...PARTS[kind.name] }));

const STAFF_BY_NAME = new Map(STAFF_KINDS.map((kind) => [kind.name, kind]));

// The kind called `name` with its console part, or null (a kind this page does not know).
export function staffKind(name) {
  return STAFF_BY_NAME.get(name) || null;
}
