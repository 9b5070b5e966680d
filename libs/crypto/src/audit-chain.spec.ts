import { AUDIT_GENESIS, AuditChainItem, auditItemHash, verifyAuditChain } from './audit-chain';

function chain(length: number): AuditChainItem[] {
  const items: AuditChainItem[] = [];
  let prevHash = AUDIT_GENESIS;
  for (let seq = 1; seq <= length; seq++) {
    const unhashed = {
      seq,
      at: `2026-11-27T10:00:0${seq}.000Z`,
      actor: 'KH.CNP',
      action: 'message.accepted',
      subject: `m-${seq}`,
      prevHash,
    };
    prevHash = auditItemHash(unhashed);
    items.push({ ...unhashed, hash: prevHash });
  }
  return items;
}

describe('verifyAuditChain', () => {
  it('holds for an untouched record and for a run that continues it', () => {
    const items = chain(5);
    expect(verifyAuditChain(items)).toEqual({ ok: true });
    expect(verifyAuditChain(items.slice(2), items[1])).toEqual({ ok: true });
  });

  it('catches an edit, a removal and a re-linked forgery', () => {
    const items = chain(5);
    expect(
      verifyAuditChain(items.map((i) => (i.seq === 3 ? { ...i, actor: 'ID.KEMLU' } : i))).problem,
    ).toContain('seq 3: hash');
    expect(verifyAuditChain(items.filter((i) => i.seq !== 2)).problem).toContain('an item is missing');
    const forged = chain(5).map((i) => ({ ...i, seq: i.seq }));
    forged[2] = { ...forged[2], prevHash: 'f'.repeat(64) };
    expect(verifyAuditChain(forged).problem).toContain('seq 3: prevHash');
  });
});
