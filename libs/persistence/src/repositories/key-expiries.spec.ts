import { KeyRecord } from '../records';
import { keyExpiries } from './keys.repository';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const DAY = 86400;

function aKey(participantId: string, fields: Partial<KeyRecord> = {}): KeyRecord {
  return {
    kid: `${participantId}-${Math.random()}`,
    participantId,
    alg: 'EdDSA',
    jwk: { kid: 'k' },
    status: 'active',
    notBefore: null,
    notAfter: null,
    createdAt: '2029-01-01T00:00:00.000Z',
    retiredAt: null,
    revokedAt: null,
    revocationReason: null,
    ...fields,
  };
}

const inDays = (days: number) => new Date(NOW.getTime() + days * DAY * 1000).toISOString();

describe('keyExpiries', () => {
  it('gives the soonest expiry of the active keys of a participant whose active keys all expire', () => {
    const keys = [
      aKey('KH.CNP', { notAfter: inDays(30) }),
      aKey('KH.CNP', { notAfter: inDays(10) }),
      aKey('KH.CNP', { notAfter: inDays(1), status: 'retired' }),
      aKey('KH.CNP', { notAfter: inDays(2), status: 'revoked' }),
    ];
    expect(keyExpiries(keys, NOW)).toEqual(new Map([['KH.CNP', 10 * DAY]]));
  });

  it('leaves out a participant with an active key that never expires, or with no active key', () => {
    const keys = [
      aKey('KH.CNP', { notAfter: inDays(10) }),
      aKey('KH.CNP'),
      aKey('TH.RTP', { notAfter: inDays(5), status: 'retired' }),
    ];
    expect(keyExpiries(keys, NOW)).toEqual(new Map());
    expect(keyExpiries([...keys].reverse(), NOW)).toEqual(new Map());
  });

  it('skips keys already expired, and gives 0 when the participant has no other', () => {
    const expired = aKey('KH.CNP', { notAfter: inDays(-1) });
    expect(keyExpiries([expired, aKey('KH.CNP', { notAfter: inDays(3) })], NOW)).toEqual(
      new Map([['KH.CNP', 3 * DAY]]),
    );
    expect(keyExpiries([aKey('KH.CNP', { notAfter: inDays(3) }), expired], NOW)).toEqual(
      new Map([['KH.CNP', 3 * DAY]]),
    );
    expect(keyExpiries([expired], NOW)).toEqual(new Map([['KH.CNP', 0]]));
  });
});
