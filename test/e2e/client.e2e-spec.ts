import {
  AgencySigner,
  RdxAdminClient,
  RdxClient,
  RdxInvalidData,
  RdxProblem,
  RdxUnreachable,
  RdxVerificationFailed,
} from '@rdx/client';
import { adultVictimData, INCIDENT_ALERT, exampleData, VICTIM_NOTIFICATION } from '@rdx/testing';
import { exportJWK, generateKeyPair } from 'jose';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

describe.each(BACKENDS)('the client library against a real gateway (%s)', (backend) => {
  let gateway: TestGateway;
  let admin: RdxAdminClient;
  let police: RdxClient;
  let ministry: RdxClient;
  let http: GatewayClient;

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    http = new GatewayClient(gateway);
    admin = new RdxAdminClient({ gateway: gateway.url, token: gateway.adminToken });
    const policeKey = await AgencySigner.generate('KH.CNP', 'ES256');
    const ministryKey = await AgencySigner.generate('ID.KEMLU', 'EdDSA');
    for (const [signer, kind] of [
      [policeKey, 'law-enforcement'],
      [ministryKey, 'foreign-affairs'],
    ] as const) {
      await admin.registerParticipant({ id: signer.participantId, name: signer.participantId, kind });
      expect(await admin.registerKey(signer.participantId, signer.publicJwk)).toEqual({
        kid: signer.kid,
        status: 'active',
      });
    }
    police = await RdxClient.create({ gateway: gateway.url, participant: 'KH.CNP', signer: policeKey });
    ministry = await RdxClient.create({ gateway: gateway.url, participant: 'ID.KEMLU', signer: ministryKey });
    await ministry.subscribe({ types: [VICTIM_NOTIFICATION], delivery: { mode: 'pull' } });
  });

  afterAll(() => gateway.close());

  it('publishes with a verified receipt, sends the same bytes again safely, and the recipient verifies, reads and acknowledges', async () => {
    const sent = await police.publish(VICTIM_NOTIFICATION, adultVictimData(), {
      tlp: 'amber',
      subject: 'KH-42',
    });
    expect(sent).toMatchObject({ status: 202, receipt: { source: 'KH.CNP', recipients: ['ID.KEMLU'] } });
    expect(sent.receipt.messageId).toBe(sent.messageId);
    const again = await police.publishSigned(sent.jws);
    expect({ status: again.status, receipt: again.answer.receipt }).toEqual({
      status: 200,
      receipt: sent.answer.receipt,
    });

    const received = [];
    for (let tries = 0; received.length === 0 && tries < 100; tries++) {
      for await (const item of ministry.inbox()) if (item.messageId === sent.messageId) received.push(item);
      if (received.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ verified: true, source: 'KH.CNP', type: VICTIM_NOTIFICATION });
    expect(received[0].data).toEqual(adultVictimData());
    await ministry.ack(sent.messageId, 'accepted');
    const status = await police.messageStatus(sent.messageId);
    expect(status.recipients).toEqual([
      expect.objectContaining({
        participant: 'ID.KEMLU',
        ack: expect.objectContaining({ status: 'accepted' }),
      }),
    ]);
  });

  it('refuses invalid data locally, naming every bad field, with nothing sent', async () => {
    const auditBefore = await http.auditLength();
    const data = { ...exampleData(INCIDENT_ALERT), observedOn: 'yesterday', estimatedVictims: -3 };
    const error = await police.publish(INCIDENT_ALERT, data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RdxInvalidData);
    const paths = (error as RdxInvalidData).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['data.observedOn', 'data.estimatedVictims']));
    await expect(police.publish('org.asean.rdx.no-such-thing.v1', {})).rejects.toBeInstanceOf(RdxInvalidData);
    expect(await http.auditLength()).toBe(auditBefore);
  });

  it('turns every refusal into a typed problem', async () => {
    const error = await ministry
      .publish(INCIDENT_ALERT, exampleData(INCIDENT_ALERT))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RdxProblem);
    expect(error).toMatchObject({ status: 403, problem: 'publish-not-allowed' });
    await expect(admin.participant('KH.NOPE')).rejects.toMatchObject({ status: 404, problem: 'not-found' });
    const stranger = new RdxAdminClient({ gateway: gateway.url, token: 'x'.repeat(40) });
    await expect(stranger.participants()).rejects.toMatchObject({ status: 401, problem: 'invalid-token' });
  });

  it('refuses a private JWK before anything is sent', async () => {
    const auditBefore = await http.auditLength();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const error = await admin
      .registerKey('KH.CNP', { ...(await exportJWK(privateKey)) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RdxInvalidData);
    expect((error as RdxInvalidData).errors[0].message).toContain('private member(s) d');
    expect(await http.auditLength()).toBe(auditBefore);
  });

  it('verifies origin against the registry only: a tampered message, a kid the registry does not list, a rotated key', async () => {
    const sent = await police.publish(VICTIM_NOTIFICATION, adultVictimData());
    const [h, p, s] = sent.jws.split('.');
    const envelope = JSON.parse(Buffer.from(p, 'base64url').toString());
    envelope.data.persons[0].isMinor = true;
    const tampered = `${h}.${Buffer.from(JSON.stringify(envelope)).toString('base64url')}.${s}`;
    await expect(ministry.verify(tampered)).rejects.toBeInstanceOf(RdxVerificationFailed);

    const impostor = await AgencySigner.generate('KH.CNP', 'ES256');
    const forged = await impostor.signMessage(envelope);
    await expect(ministry.verify(forged)).rejects.toThrow(/is not among KH.CNP's keys/);

    // A key registered after the client cached KH.CNP's keys is fetched when first seen.
    await new Promise((r) => setTimeout(r, 1100));
    const rotated = await AgencySigner.generate('KH.CNP', 'EdDSA');
    await admin.registerKey('KH.CNP', rotated.publicJwk);
    const verified = await ministry.verify(await rotated.signMessage(envelope));
    expect(verified).toMatchObject({ signedBy: 'KH.CNP', kid: rotated.kid });
  });

  it('manages subscriptions, and checks the whole audit chain', async () => {
    const made = await ministry.subscribe({ types: [INCIDENT_ALERT], delivery: { mode: 'pull' } });
    expect((await ministry.subscriptions()).map((s) => s.id)).toContain(made.id);
    await ministry.unsubscribe(made.id);
    expect((await ministry.subscriptions()).map((s) => s.id)).not.toContain(made.id);
    const pages: number[] = [];
    const verdict = await admin.verifyAudit((n) => pages.push(n));
    expect(verdict).toEqual({ ok: true, items: await http.auditLength() });
    expect(pages.length).toBeGreaterThan(0);
  });

  it('names an unreachable gateway', async () => {
    const gone = await RdxClient.create({
      gateway: 'http://127.0.0.1:9',
      participant: 'KH.CNP',
      signer: police.signer,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    await expect(gone.subscriptions()).rejects.toBeInstanceOf(RdxUnreachable);
  });
});
