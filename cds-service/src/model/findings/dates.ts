/**
 * `Date.parse` remembered for one reading of a record. A record repeats the same instants many
 * times (an encounter's start is its observations' and procedures' time, and the same date is read
 * by the observation, care-context and record-evidence passes), and parsing is a good part of
 * reading: each distinct text is parsed once. Made per reading, so nothing outlives the record and
 * the answers are exactly `Date.parse`'s.
 */
export type DateParser = (text: string) => number;

export function dateParser(): DateParser {
  const parsed = new Map<string, number>();
  return (text) => {
    let time = parsed.get(text);
    if (time === undefined) {
      time = Date.parse(text);
      parsed.set(text, time);
    }
    return time;
  };
}
