import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';

type Range = readonly [address: string, prefix: number, why: string];

// Never a destination, whatever the configuration says.
const ALWAYS: readonly Range[] = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives there)'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];
const ALWAYS_V6: readonly Range[] = [
  ['::', 128, 'an unspecified address'],
  ['fe80::', 10, 'a link-local address'],
  ['ff00::', 8, 'a multicast address'],
];
// Refused unless RDX_WEBHOOK_ALLOW_PRIVATE=true.
const PRIVATE: readonly Range[] = [
  ['127.0.0.0', 8, 'a loopback address'],
  ['10.0.0.0', 8, 'a private address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.168.0.0', 16, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['192.0.0.0', 24, 'an IETF protocol address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
];
const PRIVATE_V6: readonly Range[] = [
  ['::1', 128, 'a loopback address'],
  ['fc00::', 7, 'a unique local address'],
];

interface Rule {
  list: BlockList;
  why: string;
}

/** One rule per range; an IPv4 range also matches its IPv4-mapped and NAT64 IPv6 forms. */
function rules(v4: readonly Range[], v6: readonly Range[]): Rule[] {
  const rule = (add: (list: BlockList) => void, why: string): Rule => {
    const list = new BlockList();
    add(list);
    return { list, why };
  };
  return [
    ...v4.map(([address, prefix, why]) =>
      rule((list) => {
        list.addSubnet(address, prefix, 'ipv4');
        list.addSubnet(`::ffff:${address}`, 96 + prefix, 'ipv6');
        list.addSubnet(`64:ff9b::${address}`, 96 + prefix, 'ipv6');
      }, why),
    ),
    ...v6.map(([address, prefix, why]) => rule((list) => list.addSubnet(address, prefix, 'ipv6'), why)),
  ];
}

const ALWAYS_REFUSED = rules(ALWAYS, ALWAYS_V6);
const PRIVATE_REFUSED = rules(PRIVATE, PRIVATE_V6);

const match = (list: Rule[], address: string, family: 'ipv4' | 'ipv6') =>
  list.find((rule) => rule.list.check(address, family))?.why;

/** Why an address may not receive webhooks, or undefined when it may. */
export function refusedAddress(address: string, allowPrivate: boolean): string | undefined {
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  return (
    match(ALWAYS_REFUSED, address, family) ??
    (allowPrivate ? undefined : match(PRIVATE_REFUSED, address, family))
  );
}

/** A webhook URL that passed the checks, with the addresses it may be reached at. */
export interface CheckedWebhookUrl {
  url: URL;
  addresses: { address: string; family: 4 | 6 }[];
}

/**
 * Server-side request forgery protection for webhook URLs (PROTOCOL.md section 8): https only
 * and public addresses only unless RDX_WEBHOOK_ALLOW_PRIVATE=true; unspecified, link-local and
 * IPv4-mapped forms of refused addresses always refused. Checked when a subscription is made and
 * again before each attempt, which then connects to an address that was checked.
 */
@Injectable()
export class WebhookUrlGuard {
  constructor(@Inject(RDX_CONFIG) private readonly config: RdxConfig) {}

  /** Checks the URL and resolves its host; refuses with 422 `refused-webhook-url`. */
  async check(raw: string): Promise<CheckedWebhookUrl> {
    const allowPrivate = this.config.webhooks.allowPrivate;
    const refuse = (why: string): never => {
      throw new RdxError('refused-webhook-url', `the webhook URL is refused: ${why}`, {
        errors: [{ path: 'delivery.url', message: why }],
      });
    };
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return refuse('it is not an absolute URL');
    }
    if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
      refuse(allowPrivate ? 'use https or http' : 'use https');
    }
    if (url.username !== '' || url.password !== '') refuse('credentials do not belong in the URL');
    if (url.hash !== '') refuse('a fragment means nothing to a server');
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: { address: string; family: number }[];
    try {
      addresses =
        isIP(host) !== 0
          ? [{ address: host, family: isIP(host) }]
          : await lookup(host, { all: true, verbatim: true });
    } catch {
      return refuse(`the host ${host} does not resolve`);
    }
    if (addresses.length === 0) refuse(`the host ${host} does not resolve`);
    for (const { address } of addresses) {
      const why = refusedAddress(address, allowPrivate);
      if (why !== undefined) refuse(`${host} resolves to ${address}, ${why}`);
    }
    return { url, addresses: addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
  }
}
