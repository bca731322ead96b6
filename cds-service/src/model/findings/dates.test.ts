import { dateParser } from './dates';

describe('dateParser', () => {
  it('answers exactly as Date.parse, the second time from what it remembers', () => {
    const parse = dateParser();
    const texts = ['2024-03-01', '2024-03-01T10:15:00-05:00', '2024-03-01T15:15:00Z', 'not a date', ''];
    for (const text of [...texts, ...texts]) expect(parse(text)).toBe(Date.parse(text));
    expect(parse('2024-03-01T10:15:00-05:00')).toBe(parse('2024-03-01T15:15:00Z'));
  });

  it('keeps nothing from one reading to the next', () => {
    const first = dateParser();
    const realParse = Date.parse;
    let calls = 0;
    Date.parse = (text: string) => {
      calls++;
      return realParse(text);
    };
    try {
      first('2024-03-01');
      first('2024-03-01');
      expect(calls).toBe(1);
      dateParser()('2024-03-01');
      expect(calls).toBe(2);
    } finally {
      Date.parse = realParse;
    }
  });
});
