import { Reply } from './gateway-client';

/** Expects an RFC 9457 problem of the given status and `urn:rdx:problem:<name>` type. */
export function expectProblem(reply: Reply, status: number, name: string): void {
  expect({ status: reply.status, type: reply.body?.type }).toEqual({
    status,
    type: `urn:rdx:problem:${name}`,
  });
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ title: expect.any(String), status, detail: expect.any(String) });
}
