const VALID = /^\+[1-9][0-9]{6,14}$/;

/**
 * Rule 8: a phone number in E.164, or undefined when it cannot be one. Spaces, hyphens, dots and
 * parentheses go; `00` becomes `+`; a single leading `0` becomes the calling code; any other
 * number gets the calling code before it, but for Indonesia (`indonesian`) one that begins with
 * `62` only gets the `+`.
 * @example e164('0812-3456-7890', '+62') // '+6281234567890'
 */
export function e164(
  value: string,
  callingCode: string,
  options: { indonesian?: boolean } = {},
): string | undefined {
  const digits = value.replace(/[\s\-.()]/g, '');
  let number: string;
  if (digits.startsWith('+')) number = digits;
  else if (digits.startsWith('00')) number = `+${digits.slice(2)}`;
  else if (digits.startsWith('0')) number = `${callingCode}${digits.slice(1)}`;
  else if (options.indonesian && digits.startsWith('62')) number = `+${digits}`;
  else number = `${callingCode}${digits}`;
  return VALID.test(number) ? number : undefined;
}
