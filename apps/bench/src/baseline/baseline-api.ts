import Fastify, { FastifyInstance, FastifyReply } from 'fastify';
import { compactVerify, errors } from 'jose';
import { AcceptMessages, Outcome, Submission } from './accept-messages';
import { assertMessageQueue, Broker } from './broker';
import { BaselineConfig } from './config';
import { ConfirmPublisher } from './confirm-publisher';
import { createPool, ensureSchema } from './schema';
import { CachedKey, importKeys, readWorld } from './world';

const BODY_LIMIT = 256 * 1024;
const CONFIRM_WINDOW = 1_000;
const POOL_SIZE = 8;

/** A refusal, as the gateway words it (`urn:rdx:problem:<name>`). */
class Problem extends Error {
  constructor(
    readonly status: number,
    readonly problem: string,
    readonly title: string,
  ) {
    super(title);
  }
}

const PROBLEMS = {
  unknownKey: () => new Problem(401, 'unknown-key', 'The signing key is not registered'),
  invalidSignature: () => new Problem(401, 'invalid-signature', 'The signature does not verify'),
  wrongType: () => new Problem(401, 'wrong-object-type', 'The signed object has the wrong typ'),
  malformed: () => new Problem(400, 'malformed-message', 'The body is not a well-formed message'),
  sourceMismatch: () =>
    new Problem(403, 'source-mismatch', 'The message source is not the owner of the signing key'),
};

/** Starts the api: schema, keys, broker, then HTTP; returns a function that stops it gracefully. */
export async function startApi(config: BaselineConfig): Promise<() => Promise<void>> {
  const keys = await importKeys(await readWorld(config.worldFile));
  const pool = createPool(config.databaseUrl, POOL_SIZE);
  await ensureSchema(pool);
  const broker = await Broker.connect(config.amqpUrl);
  const channel = await broker.confirmChannel();
  const queue = await assertMessageQueue(channel, config.prefix);
  const accept = new AcceptMessages(pool, new ConfirmPublisher(channel, queue, CONFIRM_WINDOW));

  const app = httpServer(keys, accept);
  await app.listen({ host: '127.0.0.1', port: config.port });
  return async () => {
    await app.close(); // stops accepting; in-flight requests still get their answer
    await accept.drain();
    await broker.close(channel);
    await pool.end();
  };
}

function httpServer(keys: Map<string, CachedKey>, accept: AcceptMessages): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false });
  app.removeAllContentTypeParsers(); // anything but application/jose is a 415
  app.addContentTypeParser('application/jose', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  // Listening happens only after the database and the broker are connected; losing either exits.
  app.get('/health', async () => ({ status: 'ok' }));
  app.post<{ Body: string }>('/v1/messages', async (request, reply) => {
    try {
      const submission = await verify(keys, request.body);
      return answer(reply, submission.id, await accept.submit(submission));
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      return problem(reply, error.status, error.problem, error.title);
    }
  });
  return app;
}

/** Checks the signature with the cached key, then that the signer owns the message's source. */
async function verify(keys: Map<string, CachedKey>, jws: string): Promise<Submission> {
  let signer: CachedKey | undefined;
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(
      jws,
      (header) => {
        signer = header.kid === undefined ? undefined : keys.get(header.kid);
        if (signer === undefined) throw PROBLEMS.unknownKey();
        return signer.key;
      },
      { algorithms: ['EdDSA', 'ES256'] },
    );
  } catch (error) {
    if (error instanceof errors.JOSEError) throw PROBLEMS.invalidSignature();
    throw error;
  }
  if (verified.protectedHeader.typ !== 'rdx+jws') throw PROBLEMS.wrongType();
  const envelope = readEnvelope(verified.payload);
  if (envelope.source !== signer!.participantId) throw PROBLEMS.sourceMismatch();
  return { ...envelope, jws, receivedAt: new Date().toISOString() };
}

/** The members of the CloudEvents envelope the pipeline uses; the rest travels inside the JWS. */
function readEnvelope(payload: Uint8Array): { id: string; source: string; type: string } {
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw PROBLEMS.malformed();
  }
  if (typeof envelope !== 'object' || envelope === null) throw PROBLEMS.malformed();
  const { id, source, type } = envelope as Record<string, unknown>;
  if (typeof id !== 'string' || typeof source !== 'string' || typeof type !== 'string' || id === '') {
    throw PROBLEMS.malformed();
  }
  return { id, source, type };
}

function answer(reply: FastifyReply, messageId: string, outcome: Outcome): FastifyReply {
  switch (outcome) {
    case 'accepted':
      return reply.code(202).send({ messageId, status: 'accepted' });
    case 'conflict':
      return problem(reply, 409, 'message-conflict', 'Another message with this id is already stored');
    case 'overloaded':
      return problem(reply, 503, 'unavailable', 'Too many messages are waiting; nothing was accepted');
    case 'unavailable':
      return problem(reply, 503, 'unavailable', 'The database or the broker failed; nothing was accepted');
  }
}

function problem(reply: FastifyReply, status: number, name: string, title: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `urn:rdx:problem:${name}`, title, status });
}
