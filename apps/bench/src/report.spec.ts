import { parseOptions } from './options';
import { PhaseResult } from './phases';
import { medianRound, SaturationRound } from './report';

const saturated = (system: string, accepted: number, routed = accepted) =>
  ({ name: 'saturate fan-out 1', system, acceptedPerSec: accepted, routedPerSec: routed }) as PhaseResult;

const round = (baseline: number, gateway: number, gatewayRouted = gateway): SaturationRound => ({
  baseline: saturated('baseline', baseline),
  gateway: saturated('gateway', gateway, gatewayRouted),
});

describe('the saturation rounds', () => {
  it('count the round whose ratio is the median, not the fastest or the slowest machine', () => {
    const slowMachine = round(1_700, 1_100); // 0.65
    const fastMachine = round(3_200, 1_600); // 0.50
    const spoilt = round(2_000, 1_900); // 0.95: the baseline's run had a noisy neighbour
    expect(medianRound([slowMachine, fastMachine, spoilt])).toBe(slowMachine);
    expect(medianRound([spoilt, slowMachine, fastMachine])).toBe(slowMachine);
  });

  it('take the lower middle of an even count, and the only round of one', () => {
    const a = round(2_000, 1_000); // 0.5
    const b = round(2_000, 1_200); // 0.6
    const c = round(2_000, 1_400); // 0.7
    const d = round(2_000, 1_600); // 0.8
    expect(medianRound([d, b, c, a])).toBe(b);
    expect(medianRound([c])).toBe(c);
    expect(() => medianRound([])).toThrow(/no saturation round/);
  });

  it('rank a round by what the gateway both accepted and routed', () => {
    const routingBehind = round(2_000, 1_900, 1_000); // sustains 1,000: 0.5
    const even = round(2_000, 1_400); // 0.7
    const better = round(2_000, 1_500); // 0.75
    expect(medianRound([routingBehind, even, better])).toBe(even);
  });

  it('are one in the quick run and three in the full run unless asked otherwise', () => {
    expect(parseOptions(['--quick']).rounds).toBe(1);
    expect(parseOptions([]).rounds).toBe(3);
    expect(parseOptions(['--quick', '--rounds', '5']).rounds).toBe(5);
    expect(parseOptions(['--rounds', '0']).rounds).toBe(1);
    expect(() => parseOptions(['--rounds', 'many'])).toThrow(/--rounds needs a number/);
  });
});
