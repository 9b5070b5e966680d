import { isLeapYear } from './dates';

/**
 * Rule 9: whether someone born on `dateOfBirth` is under 18 on `referenceDate` (both
 * `YYYY-MM-DD`). The 18th birthday is the day one stops being a minor; one born on 29 February
 * turns 18 on 1 March in a year that is not a leap year.
 */
export function isMinorOn(dateOfBirth: string, referenceDate: string): boolean {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  const adultYear = year + 18;
  const birthday =
    month === 2 && day === 29 && !isLeapYear(adultYear)
      ? `${adultYear}-03-01`
      : `${adultYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return referenceDate < birthday;
}
