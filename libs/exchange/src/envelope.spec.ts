import { RdxError } from '@rdx/errors';
import { readEnvelope } from './envelope';

const base = {
  specversion: '1.0',
  id: '0b6f3c1e-5d0a-4b7e-9f57-3b2f1f0a9c11',
  source: 'KH.CNP',
  type: 'org.asean.rdx.nationality-verification-request.v1',
  time: '2026-12-01T08:00:00Z',
  tlp: 'amber',
  data: {},
};

/** The paths of the fields an envelope is refused for. */
function refused(event: Record<string, unknown>): string[] {
  try {
    readEnvelope(event);
  } catch (error) {
    if (error instanceof RdxError) return (error.extra.errors ?? []).map((e) => e.path);
    throw error;
  }
  return [];
}

describe('the case attributes of an envelope', () => {
  it('keeps inreplyto, supersedes, expires and respondby as sent', () => {
    const event = {
      ...base,
      inreplyto: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
      supersedes: '7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
      expires: '2026-12-31T00:00:00+07:00',
      respondby: '2026-12-04T17:00:00.5Z',
    };
    expect(readEnvelope(event)).toMatchObject({
      inreplyto: event.inreplyto,
      supersedes: event.supersedes,
      expires: event.expires,
      respondby: event.respondby,
    });
  });

  it('is a version-1 envelope without them', () => {
    const envelope = readEnvelope(base);
    for (const attribute of ['inreplyto', 'supersedes', 'expires', 'respondby'])
      expect(envelope).not.toHaveProperty(attribute);
  });

  it('refuses ids that are not UUIDs or name the message itself, and times that are not RFC 3339', () => {
    expect(
      refused({
        ...base,
        inreplyto: base.id,
        supersedes: 'KH-CNP-2026-00042',
        expires: '2026-12-31',
        respondby: 1733300000,
      }),
    ).toEqual(['inreplyto', 'supersedes', 'expires', 'respondby']);
    expect(refused({ ...base, supersedes: base.id, expires: '2026-02-30T25:00:00Z' })).toEqual([
      'supersedes',
      'expires',
    ]);
  });
});
