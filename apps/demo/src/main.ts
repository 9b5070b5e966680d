import 'reflect-metadata';
import { RdxInvalidData, RdxProblem, RdxUnreachable, RdxVerificationFailed } from '@rdx/client';
import { ConfigError } from '@rdx/config';
import { DemoGateway, launchDemoGateway } from './demo-gateway.launcher';
import { playExchange, STEPS } from './exchange.scenario';
import { DemoCheckFailed } from './demo-checks.assertion';
import { Narrator } from './narration.printer';

/**
 * `npm run demo`: a real exchange between two agencies through a gateway started in this
 * process, narrated step by step. Every check really runs; the first that fails stops the run.
 */
async function main(): Promise<number> {
  const say = new Narrator(STEPS, process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  say.title('RDX demo: Cambodian police notify Indonesia that one of its citizens was freed');
  let gateway: DemoGateway | undefined;
  const started = Date.now();
  try {
    gateway = await launchDemoGateway();
    await playExchange(gateway, say);
    say.blank();
    say.title(
      `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: every call went over real HTTP through @rdx/client, every check held.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DemoCheckFailed || error instanceof ConfigError) {
      say.fail(error.message);
    } else if (
      error instanceof RdxProblem ||
      error instanceof RdxInvalidData ||
      error instanceof RdxVerificationFailed ||
      error instanceof RdxUnreachable
    ) {
      // The client library's own refusals say what went wrong; no stack trace needed.
      say.fail(`${error.name}: ${error.message}`);
    } else {
      say.fail('the demo stopped on an unexpected error');
      console.error(error);
    }
    return 1;
  } finally {
    await gateway
      ?.close()
      .catch((error: unknown) => console.error('could not stop the gateway cleanly:', error));
  }
}

// Exit explicitly: the demo is done, and no stray timer should keep the process alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
