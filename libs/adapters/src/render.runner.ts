import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { MessageToRender, NothingToRender, OutboundAdapter } from './contract';
import { schemas } from './message-builder';

/** `rdx adapter render`'s exit codes (FORMATS.md section 1). */
export const RENDER_EXIT = { rendered: 0, nothingForCountry: 1, unusable: 2 } as const;

/** Reads a message as `render` takes it: `type`, `data`, and `id` or `messageId`; `source` if given. */
export function messageToRender(value: unknown): MessageToRender | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'the input is not a JSON object';
  const m = value as Record<string, unknown>;
  const id = m.id ?? m.messageId;
  if (typeof m.type !== 'string') return 'the message has no type';
  if (typeof id !== 'string') return 'the message has no id (or messageId)';
  if (typeof m.data !== 'object' || m.data === null || Array.isArray(m.data))
    return 'the message has no data object';
  return {
    type: m.type,
    id,
    data: m.data as Record<string, unknown>,
    ...(typeof m.source === 'string' ? { source: m.source } : {}),
  };
}

/**
 * Renders one message file as the country's national record (JSON, 2-space indent) on `out`;
 * answers the exit code. A message whose data its type's schema refuses is unusable (exit 2).
 */
export async function runRender(
  adapter: OutboundAdapter | undefined,
  country: string,
  file: string,
  out: Writable,
  err: Writable,
): Promise<number> {
  const fail = (code: number, reason: string) => (err.write(`${reason}\n`), code);
  if (adapter === undefined) return fail(RENDER_EXIT.unusable, `${country} has no outbound adapter`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return fail(RENDER_EXIT.unusable, `cannot read a JSON message from ${file}: ${(error as Error).message}`);
  }
  const message = messageToRender(value);
  if (typeof message === 'string') return fail(RENDER_EXIT.unusable, message);
  if (!adapter.types.includes(message.type)) {
    return fail(RENDER_EXIT.unusable, `${country} renders ${adapter.types.join(', ')}, not ${message.type}`);
  }
  // Adapters read the data as its type defines it: a message that is not one is refused here, exit 2.
  const [violation] = schemas().validate(message.type, message.data);
  if (violation !== undefined) {
    return fail(
      RENDER_EXIT.unusable,
      `the message's data is not valid: ${violation.path}: ${violation.message}`,
    );
  }
  try {
    out.write(`${JSON.stringify(adapter.render(message), null, 2)}\n`);
    return RENDER_EXIT.rendered;
  } catch (error) {
    if (error instanceof NothingToRender) return fail(RENDER_EXIT.nothingForCountry, error.message);
    throw error;
  }
}
