import { isIsoDate, isIsoDateTime } from './schema.decorators';

describe('isIsoDate', () => {
  it.each(['2026-11-27', '2028-02-29', '1950-01-01'])('accepts %s', (date) =>
    expect(isIsoDate(date)).toBe(true),
  );
  it.each([
    '2026-02-29',
    '2026-04-31',
    '2026-13-01',
    '26-11-27',
    '2026-11-27T00:00:00Z',
    '1850-01-01',
    20261127,
  ])('refuses %p', (date) => expect(isIsoDate(date)).toBe(false));
});

describe('isIsoDateTime', () => {
  it.each(['2026-11-27T09:58:01Z', '2026-11-27T16:58:01+07:00', '2026-11-27T09:58:01.123Z'])(
    'accepts %s',
    (value) => expect(isIsoDateTime(value)).toBe(true),
  );
  it.each([
    '2026-11-27T09:58:01',
    '2026-11-27 09:58:01Z',
    '2026-02-30T00:00:00Z',
    '2026-11-27T24:00:00Z',
    null,
  ])('refuses %p', (value) => expect(isIsoDateTime(value)).toBe(false));
});
