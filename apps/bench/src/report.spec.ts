import { parseOptions } from './options';
import { PhaseResult } from './phases';
import { medianRound, rssGrowthPercent, SaturationRound } from './report';

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

describe('memory growth over a soak', () => {
  /** A sample every 5 s, as the soak takes them. */
  const soak = (minutes: number, rss: (atSeconds: number) => number) =>
    Array.from({ length: (minutes * 60) / 5 }, (_, i) => ({
      atSeconds: (i + 1) * 5,
      value: rss((i + 1) * 5),
    }));

  it('is none for memory that stays flat after a first full collection minutes in', () => {
    // As the API did on the eleventh day: growing to 220 MiB, collected at 105 s, then flat.
    const samples = soak(10, (t) => (t < 105 ? 150 + (70 * t) / 100 : 163 + (t % 15) / 5));
    const growth = rssGrowthPercent(samples);
    expect(growth).toBeGreaterThanOrEqual(0);
    expect(growth).toBeLessThan(2);
  });

  it('shows a leak, measured from the lowest minute after warm-up', () => {
    // 0.2 MiB a second from 150 MiB: the second minute's median is 169, the last minute's 265.
    const growth = rssGrowthPercent(soak(10, (t) => 150 + t / 5));
    expect(growth).toBeCloseTo((100 * (265 - 169)) / 169, 1);
  });

  it('is small for collections that swing memory without a trend', () => {
    const sawtooth = (t: number) => 160 + ((t % 30) / 30) * 30;
    expect(rssGrowthPercent(soak(10, sawtooth))).toBeLessThan(3);
  });

  it('is none for a soak too short to have a minute after warm-up', () => {
    expect(rssGrowthPercent(soak(1, (t) => 100 + t))).toBe(0);
    expect(rssGrowthPercent([])).toBe(0);
  });
});
