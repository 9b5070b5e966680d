import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  activeTraceContext,
  contextOfTraceParent,
  MESSAGE_TRACEPARENTS,
  messageTraceParents,
  withTraceContext,
} from './trace-context';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('trace context between processes', () => {
  it('reads a traceparent back as a remote parent, and nothing from a malformed one', () => {
    const parent = trace.getSpanContext(contextOfTraceParent(PARENT)!);
    expect(parent).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    expect(contextOfTraceParent('00-not-a-trace-01')).toBeUndefined();
    expect(contextOfTraceParent(null)).toBeUndefined();
  });

  it("reads each message's traceparent from an event's headers, ignoring a malformed header", () => {
    const headers = { [MESSAGE_TRACEPARENTS]: JSON.stringify({ m1: PARENT, m2: 7 }) };
    expect(messageTraceParents(headers)).toEqual(new Map([['m1', PARENT]]));
    expect(messageTraceParents({ [MESSAGE_TRACEPARENTS]: '{oops' })).toEqual(new Map());
    expect(messageTraceParents(undefined)).toEqual(new Map());
  });

  it('holds the current context for the work inside, and the root outside', async () => {
    const context = contextOfTraceParent(PARENT)!;
    await withTraceContext(context, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(activeTraceContext()).toBe(context);
    });
    expect(activeTraceContext()).toBe(ROOT_CONTEXT);
  });
});
