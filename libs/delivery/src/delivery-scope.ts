import { RdxError } from '@rdx/errors';

/**
 * Whose deliveries a caller may see and replay: a participant its own; an administrator anyone's,
 * a country administrator its country's participants'.
 */
export type DeliveryScope =
  | { kind: 'participant'; participantId: string }
  | { kind: 'admin'; role: 'admin' | 'country-admin' | 'auditor'; country: string | null };

/** The participant filter a scope imposes on a request that may name one. */
export function participantFilter(scope: DeliveryScope, requested: string | undefined): string | undefined {
  if (scope.kind === 'participant') return scope.participantId;
  if (scope.role === 'country-admin') {
    if (requested === undefined || requested.slice(0, 2) !== scope.country) {
      throw new RdxError(
        'forbidden',
        `a country administrator of ${scope.country} names one of its participants`,
      );
    }
  }
  return requested;
}

export function mayReplay(scope: DeliveryScope): void {
  if (scope.kind === 'admin' && scope.role === 'auditor')
    throw new RdxError('forbidden', 'an auditor only reads');
}

/** A time bound as stored (ISO 8601 UTC with milliseconds), so that bounds compare as text. */
export function storedTime(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}
