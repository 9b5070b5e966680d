import { RecordCheck } from './record-check';
import { CASE_REF } from './rules/ids';
import { text } from './rules/text';

export const VICTIM_NOTIFICATION = 'org.asean.rdx.victim-identification-notification.v1';
export const LOCATE_REQUEST = 'org.asean.rdx.locate-request.v1';
export const INCIDENT_ALERT = 'org.asean.rdx.trafficking-incident-alert.v1';

/**
 * Rule 10: the national reference in upper case, when `CC-` and it make a valid `caseRef`
 * (`missing` or `invalid reference` on `field` otherwise).
 */
export function caseReference(
  check: RecordCheck,
  field: string,
  raw: unknown,
  country: string,
): string | undefined {
  const value = text(raw);
  if (value === undefined) return check.problem(field, 'missing');
  const reference = value.toUpperCase();
  if (!CASE_REF.test(`${country}-${reference}`))
    return check.problem(field, `invalid reference ${JSON.stringify(value)}`);
  return reference;
}
