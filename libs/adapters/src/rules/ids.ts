import { v5 } from 'uuid';

/** The namespace of rule 10's message ids. */
export const MESSAGE_ID_NAMESPACE = '5c7e2a51-3b0d-4c8e-9f6a-1d2b3c4d5e6f';

/**
 * Rule 10: the message id of a national record, the UUID v5 of `CC/TYPE/REFERENCE`; converting
 * the same record again gives the same id, so a re-run never publishes twice.
 */
export function messageId(country: string, type: string, reference: string): string {
  return v5(`${country}/${type}/${reference}`, MESSAGE_ID_NAMESPACE);
}

/** The schema's `caseRef` pattern. */
export const CASE_REF = /^[A-Z]{2}-[A-Z0-9][A-Z0-9./-]{0,62}$/;

/** The language tags the schema takes (BCP 47, as RDX restricts them). */
export const LANGUAGE_TAG =
  /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$/;

/** The schema's subdivision (`area`) pattern. */
export const AREA = /^(?:BN|KH|ID|LA|MY|MM|PH|SG|TH|TL|VN)-[A-Z0-9]{1,3}$/;
