import { createPrivateKey, JsonWebKey, KeyObject, randomUUID, sign } from 'node:crypto';
import { MESSAGE_TYPES } from '@rdx/schema';
import { Agency, ALERT, Lane, VICTIM } from './bench-world';

export interface SignedMessage {
  id: string;
  jws: string;
  source: string;
}

type Data = Record<string, unknown>;

function example(type: string): Data {
  const definition = MESSAGE_TYPES.find((t) => t.type === type);
  if (definition === undefined) throw new Error(`no message type ${type}`);
  return structuredClone(definition.examples[0]) as Data;
}

/**
 * Realistic `data` for each type, from the catalogue's own examples (1-2 KiB signed). Alerts leave
 * out the suspect identifiers the policy reserves for law enforcement, so that every recipient
 * gets the sender's own JWS; the cost of a redacted copy is another measurement.
 */
function dataFor(type: string, nationality: string, caseRef: string): Data {
  const data = example(type);
  data.caseRef = caseRef;
  if (type === ALERT) delete data.suspectIdentifiers;
  if (Array.isArray(data.persons)) {
    data.persons = (data.persons as Data[]).map((person) => {
      const { verifiedNationalities: _verified, ...rest } = person;
      return {
        ...rest,
        nationalities: [nationality],
        isMinor: false,
        ...(type === VICTIM ? { victimObjectsToNotification: false, fearsPersecutionAtHome: false } : {}),
      };
    });
  }
  return data;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Signs messages the way an agency's system would, with Node's own Ed25519, so the load
 * generator spends as little of the shared CPU as possible.
 */
export class MessageFactory {
  private readonly keys = new Map<string, { key: KeyObject; header: string }>();
  private counter = 0;

  constructor(agencies: Pick<Agency, 'id' | 'kid' | 'privateJwk'>[]) {
    for (const agency of agencies) {
      this.keys.set(agency.id, {
        key: createPrivateKey({ key: agency.privateJwk as JsonWebKey, format: 'jwk' }),
        header: b64(JSON.stringify({ alg: 'EdDSA', kid: agency.kid, typ: 'rdx+jws' })),
      });
    }
  }

  /** The next message of a lane: publishers and types in turn. */
  next(lane: Lane): SignedMessage {
    const n = this.counter++;
    const publisher = lane.publishers[n % lane.publishers.length];
    const type = lane.types[Math.floor(n / lane.publishers.length) % lane.types.length];
    const id = randomUUID();
    const envelope = {
      specversion: '1.0',
      id,
      source: publisher.id,
      type,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      tlp: 'amber',
      data: dataFor(type, publisher.nationality, `${publisher.id.replace('.', '-')}/2026/${n}`),
    };
    const signer = this.keys.get(publisher.id)!;
    const input = `${signer.header}.${b64(JSON.stringify(envelope))}`;
    const signature = sign(null, Buffer.from(input), signer.key);
    return { id, jws: `${input}.${b64(signature)}`, source: publisher.id };
  }
}
