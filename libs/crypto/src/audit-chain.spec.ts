import {
  AUDIT_GENESIS,
  AuditChainItem,
  auditItemHash,
  auditItemHashOfCanonical,
  verifyAuditChain,
} from './audit-chain';
import { canonicalize } from './jcs';

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

describe('auditItemHashOfCanonical', () => {
  it('hashes as auditItemHash does, with and without details, whatever the strings hold', () => {
    const odd = [
      '',
      'plain',
      'quote " and \\ backslash',
      'line\nbreak\t\u0001',
      'é ü 中文 🚀',
      '\u2028\u2029',
      '\ud800',
    ];
    let prevHash = AUDIT_GENESIS;
    for (const [i, text] of odd.entries()) {
      const details = {
        z: [text, 1, -0, 10 ** 21, true, null],
        a: { [text]: text, nested: { b: 2, a: [] } },
        recipients: ['ID.KEMLU', 'TH.DSI'],
        skipped: undefined,
      };
      for (const withDetails of [true, false]) {
        const item = {
          seq: 2 ** 40 + i,
          at: text,
          actor: text,
          action: `a.${text}`,
          subject: text,
          prevHash,
        };
        const full = withDetails ? { ...item, details } : item;
        expect(
          auditItemHashOfCanonical({ ...item, details: withDetails ? canonicalize(details) : null }),
        ).toBe(auditItemHash(full));
      }
      prevHash = auditItemHash({ seq: i + 1, at: text, actor: text, action: 'x', subject: text, prevHash });
    }
  });
});
