import { createHash } from 'node:crypto';
import { canonicalize } from '@rdx/crypto';
import { exampleData, INCIDENT_ALERT, TestAgency } from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

describe.each(BACKENDS)('participants, keys and administrators (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency;
  let ministry: TestAgency;

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    await client.register(police);
    await client.register(ministry);
  });

  afterAll(() => gateway.close());

  const publish = async (agency: TestAgency) =>
    client.publish(
      (await agency.signMessage({ recipients: 'ID.KEMLU', data: exampleData(INCIDENT_ALERT) })).jws,
    );

  it('rotates a key: the new one signs, the retired one signs nothing new but still verifies what it signed', async () => {
    const { jws: signedBefore } = await police.signMessage({
      recipients: 'ID.KEMLU',
      data: exampleData(INCIDENT_ALERT),
    });
    expect((await client.publish(signedBefore)).status).toBe(202);

    const rotated = await police.withNewKey('ES256');
    expect(
      (await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', { jwk: rotated.publicJwk })).body,
    ).toEqual({
      kid: rotated.kid,
      status: 'active',
    });
    const retired = await client.admin('POST', `/v1/admin/participants/KH.CNP/keys/${police.kid}/retire`);
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ kid: police.kid, status: 'retired', retiredAt: expect.any(String) });

    expect((await publish(rotated)).status).toBe(202);
    expect((await publish(police)).body.type).toBe('urn:rdx:problem:key-not-active');
    // What it signed while active is still answered, and its key is still published for verification.
    expect((await client.publish(signedBefore)).status).toBe(200);
    const jwks = await client.request('GET', '/v1/participants/KH.CNP/jwks');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid).sort()).toEqual(
      [police.kid, rotated.kid].sort(),
    );
    // A retired key cannot sign bearer tokens either, and cannot be retired twice.
    expect((await client.as(police, 'GET', '/v1/subscriptions')).status).toBe(401);
    expect(
      (await client.admin('POST', `/v1/admin/participants/KH.CNP/keys/${police.kid}/retire`)).status,
    ).toBe(409);
    police = rotated;
  });

  it('revokes a compromised key: nothing it signed is accepted, whatever time it claims, and it leaves the JWKS', async () => {
    const compromised = await ministry.withNewKey();
    await client.admin('POST', '/v1/admin/participants/ID.KEMLU/keys', { jwk: compromised.publicJwk });
    const { jws: signedEarlier, envelope } = await police.signMessage({
      recipients: 'ID.KEMLU',
      data: exampleData(INCIDENT_ALERT),
    });
    expect((await client.publish(signedEarlier)).status).toBe(202);
    const revoked = await client.admin(
      'POST',
      `/v1/admin/participants/ID.KEMLU/keys/${compromised.kid}/revoke`,
      {
        reason: 'laptop stolen',
      },
    );
    expect(revoked.body).toMatchObject({ status: 'revoked', revocationReason: 'laptop stolen' });
    const backdated = await compromised.signAck(envelope.id as string, 'received', {
      time: new Date().toISOString(),
    });
    expect((await client.ack(envelope.id as string, backdated)).status).toBe(401);
    expect((await client.as(compromised, 'GET', '/v1/inbox')).status).toBe(401);
    const jwks = await client.request('GET', '/v1/participants/ID.KEMLU/jwks');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([ministry.kid]);
    expect(
      (
        await client.admin('POST', `/v1/admin/participants/ID.KEMLU/keys/${compromised.kid}/revoke`, {
          reason: 'again',
        })
      ).status,
    ).toBe(409);
  });

  it('refuses a message signed with a key revoked a moment after the same key published (no cache outlives a revocation)', async () => {
    const compromised = await police.withNewKey();
    await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', { jwk: compromised.publicJwk });
    expect((await publish(compromised)).status).toBe(202);
    await client.admin('POST', `/v1/admin/participants/KH.CNP/keys/${compromised.kid}/revoke`, {
      reason: 'laptop stolen',
    });
    const refused = await publish(compromised);
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe('urn:rdx:problem:key-not-active');
    expect((await publish(police)).status).toBe(202);
  });

  it('suspends a participant (403 whatever it signs) and reinstates it', async () => {
    expect(
      (await client.admin('PATCH', '/v1/admin/participants/KH.CNP', { status: 'suspended' })).body.status,
    ).toBe('suspended');
    expect((await publish(police)).status).toBe(403);
    expect((await client.as(police, 'GET', '/v1/inbox')).status).toBe(403);
    // Messages to a suspended participant are accepted and withheld from it, with the reason.
    const toSuspended = await client.publish(
      (await ministry.signMessage({ type: INCIDENT_ALERT, recipients: 'KH.CNP' })).jws,
    );
    expect(toSuspended.status).toBe(403); // a foreign ministry may not publish alerts: the policy speaks first
    expect(
      (await client.admin('PATCH', '/v1/admin/participants/KH.CNP', { status: 'active' })).body.status,
    ).toBe('active');
    expect((await publish(police)).status).toBe(202);
  });

  it('confines a country administrator to its own country', async () => {
    const issued = await client.admin('POST', '/v1/admin/tokens', { role: 'country-admin', country: 'ID' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      role: 'country-admin',
      country: 'ID',
      expiresAt: expect.any(String),
    });
    const token = issued.body.token as string;
    const p2mi = await TestAgency.create('ID.P2MI', 'labour');
    expect(
      (
        await client.admin(
          'POST',
          '/v1/admin/participants',
          { id: 'ID.P2MI', name: 'BP2MI', kind: 'labour' },
          token,
        )
      ).status,
    ).toBe(201);
    expect(
      (await client.admin('POST', '/v1/admin/participants/ID.P2MI/keys', { jwk: p2mi.publicJwk }, token))
        .status,
    ).toBe(201);
    const listed = await client.admin('GET', '/v1/admin/participants', undefined, token);
    expect(listed.body.items.map((p: { id: string }) => p.id).sort()).toEqual(['ID.KEMLU', 'ID.P2MI']);

    expect(
      (
        await client.admin(
          'POST',
          '/v1/admin/participants',
          { id: 'KH.NCCT', name: 'x', kind: 'coordination' },
          token,
        )
      ).status,
    ).toBe(403);
    expect((await client.admin('GET', '/v1/admin/participants/KH.CNP', undefined, token)).status).toBe(404);
    expect(
      (await client.admin('PATCH', '/v1/admin/participants/KH.CNP', { status: 'suspended' }, token)).status,
    ).toBe(404);
    expect(
      (await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', { jwk: p2mi.publicJwk }, token))
        .status,
    ).toBe(404);
    expect((await client.admin('GET', '/v1/admin/audit', undefined, token)).status).toBe(403);
    expect((await client.admin('POST', '/v1/admin/tokens', { role: 'auditor' }, token)).status).toBe(403);
  });

  it('keeps an audit record whose hash chain anyone can check', async () => {
    const auditor = (await client.admin('POST', '/v1/admin/tokens', { role: 'auditor' })).body
      .token as string;
    const items: any[] = [];
    let after = 0;
    for (;;) {
      const page = await client.admin('GET', `/v1/admin/audit?after=${after}&limit=7`, undefined, auditor);
      expect(page.status).toBe(200);
      if (page.body.items.length === 0) break;
      items.push(...page.body.items);
      after = page.body.next;
    }
    expect(items.map((i) => i.action)).toEqual(
      expect.arrayContaining([
        'admin-token.bootstrapped',
        'participant.registered',
        'key.registered',
        'key.retired',
        'key.revoked',
        'message.accepted',
        'message.delivered',
        'participant.suspended',
        'admin-token.issued',
      ]),
    );
    let prevHash = '0'.repeat(64);
    items.forEach((item, i) => {
      expect(item.seq).toBe(i + 1);
      expect(item.prevHash).toBe(prevHash);
      const { hash, ...rest } = item;
      expect(hash).toBe(createHash('sha256').update(canonicalize(rest), 'utf8').digest('hex'));
      expect(JSON.stringify(item)).not.toMatch(/\d\.\d+[,}]/);
      prevHash = hash;
    });
    // No secret ever enters the record.
    expect(JSON.stringify(items)).not.toContain(gateway.adminToken);
    expect(JSON.stringify(items)).not.toContain(auditor);
    // An auditor reads, and only reads.
    expect(
      (await client.admin('PATCH', '/v1/admin/participants/KH.CNP', { status: 'suspended' }, auditor)).status,
    ).toBe(403);
  });

  it('searches the audit record by actor, action and subject, following next to the end', async () => {
    const search = async (query: string) => {
      const found: any[] = [];
      let after = 0;
      for (;;) {
        const page = await client.admin('GET', `/v1/admin/audit?${query}&after=${after}&limit=2`);
        expect(page.status).toBe(200);
        found.push(...page.body.items);
        if (page.body.next === after) return found;
        after = page.body.next;
      }
    };
    const all = (await client.admin('GET', '/v1/admin/audit?limit=500')).body.items as any[];
    const expected = (keep: (item: any) => boolean) => all.filter(keep).map((i) => i.seq);

    const revoked = await search('action=key.revoked');
    expect(revoked.length).toBeGreaterThan(0);
    expect(revoked.map((i) => i.seq)).toEqual(expected((i) => i.action === 'key.revoked'));
    expect(revoked[0]).toEqual(all.find((i) => i.seq === revoked[0].seq));
    const aboutCnp = await search('subject=KH.CNP&action=participant.registered');
    expect(aboutCnp.map((i) => i.seq)).toEqual(
      expected((i) => i.subject === 'KH.CNP' && i.action === 'participant.registered'),
    );
    expect(aboutCnp).toHaveLength(1);
    const actor = all.find((i) => i.actor.startsWith('admin-token:')).actor as string;
    expect((await search(`actor=${encodeURIComponent(actor)}`)).map((i) => i.seq)).toEqual(
      expected((i) => i.actor === actor),
    );
    expect(await search('actor=nobody')).toEqual([]);
    // Exact values: a part of one finds nothing.
    expect(await search('action=key.')).toEqual([]);

    for (const bad of ['actor=a&actor=b', `subject=${'x'.repeat(201)}`, 'who=me']) {
      const reply = await client.admin('GET', `/v1/admin/audit?${bad}`);
      expect(reply.status).toBe(400);
      expect(reply.body.type).toBe('urn:rdx:problem:bad-request');
    }
    const issued = await client.admin('POST', '/v1/admin/tokens', { role: 'country-admin', country: 'KH' });
    const refused = await client.admin(
      'GET',
      '/v1/admin/audit?action=key.revoked',
      undefined,
      issued.body.token,
    );
    expect(refused.status).toBe(403);
  });

  it('expires administrator tokens', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const token = (await client.admin('POST', '/v1/admin/tokens', { role: 'auditor', expiresAt: soon })).body
      .token as string;
    expect((await client.admin('GET', '/v1/admin/participants', undefined, token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await client.admin('GET', '/v1/admin/participants', undefined, token)).status).toBe(401);
  });
});
