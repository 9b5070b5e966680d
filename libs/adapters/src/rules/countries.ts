import countries from 'i18n-iso-countries';

/** The members of ASEAN. */
export const ASEAN = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'TL', 'VN'] as const;

/**
 * Rule 6: an ISO 3166-1 country code as alpha-2, from alpha-2 or alpha-3 (IDN → ID) in any
 * letter case, or undefined when it is not one. `accept` limits the forms taken.
 */
export function alpha2(
  code: string,
  accept: 'alpha-2' | 'alpha-3' | 'either' = 'either',
): string | undefined {
  const upper = code.toUpperCase();
  if (upper.length === 2 && accept !== 'alpha-3') return countries.isValid(upper) ? upper : undefined;
  if (upper.length === 3 && accept !== 'alpha-2') return countries.alpha3ToAlpha2(upper) ?? undefined;
  return undefined;
}

/** Whether an alpha-2 code is an ASEAN member. */
export function isAsean(code: string): boolean {
  return (ASEAN as readonly string[]).includes(code);
}
