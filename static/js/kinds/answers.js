// Answers in the vote payload's shape ({option}, {options}, {words}, {texts}, {value}, {order},
// {points}), as the phone page and the answer widgets compare them.
import { tidy } from "../text.js";

// A canonical JSON form of an answer, to tell whether a draft differs from the stored answer.
export function answerKey(answer) {
  if (!answer) return "";
  if (answer.points) {
    const entries = Object.entries(answer.points)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => Number(a) - Number(b));
    return JSON.stringify({ points: entries });
  }
  if (answer.words) return JSON.stringify({ words: answer.words.map((w) => tidy(w).toLowerCase()) });
  if (Array.isArray(answer.options)) return JSON.stringify({ options: [...answer.options].sort((a, b) => a - b) });
  return JSON.stringify(answer);
}

// The option ids a choice answer picked ({option} or {options}); [] for other answers.
export function chosenIds(answer) {
  if (!answer) return [];
  if (Array.isArray(answer.options)) return answer.options;
  if (answer.option !== undefined && answer.option !== null) return [answer.option];
  return [];
}
