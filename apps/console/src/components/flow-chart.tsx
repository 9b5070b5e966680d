import { BarChart } from '@mantine/charts';
import { Box, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '../api/admin-api';

/** Distinct and dark enough to tell apart on white (the legend names each one too). */
const PALETTE = ['#1c5fa8', '#b35c00', '#1e6b34', '#8e2a8a', '#b02525', '#006d75', '#5c5f66', '#7a5c00'];
const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Every bucket of the window, so that a quiet time shows as zero rather than vanishing. */
function bucketsOf(flow: Flow): string[] {
  const step = BUCKET_MS[flow.bucket];
  const first = Math.floor(Date.parse(flow.from) / step) * step;
  const buckets: string[] = [];
  for (let at = first; at < Date.parse(flow.to); at += step) buckets.push(new Date(at).toISOString());
  return buckets;
}

/**
 * Accepted or refused messages over time, stacked by `by` (message type or sender country).
 * Series are keyed by position: message types contain dots, which recharts reads as nested paths.
 */
export function FlowChart({
  flow,
  outcome,
  by,
  label,
}: {
  flow: Flow;
  outcome: 'accepted' | 'refused';
  by: 'type' | 'country';
  label: (key: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const counts = flow[outcome];
  const keys = [...new Set(counts.map((c) => c[by]))].sort();
  const format = new Intl.DateTimeFormat(i18n.language, {
    ...(flow.bucket === 'day' ? { dateStyle: 'medium' } : { timeStyle: 'short' }),
    timeZone: 'UTC',
  });
  const rows = new Map(
    bucketsOf(flow).map((at) => [
      at,
      { at: format.format(new Date(at)), ...Object.fromEntries(keys.map((_, i) => [`s${i}`, 0])) } as Record<
        string,
        string | number
      >,
    ]),
  );
  for (const count of counts) {
    const row = rows.get(count.at);
    const series = `s${keys.indexOf(count[by])}`;
    if (row !== undefined) row[series] = Number(row[series]) + count.count;
  }
  const title = t(`flow.${outcome}.${by}`);
  const total = counts.reduce((n, c) => n + c.count, 0);
  const summary = t(`flow.${outcome}.summary`, { count: total, series: keys.map(label).join(', ') || '—' });

  return (
    <Box component="figure" m={0} aria-labelledby={titleId} data-testid={`flow-chart-${outcome}-${by}`}>
      <Title order={2} size="h3" id={titleId} component="figcaption">
        {title}
      </Title>
      <Text size="sm" mb="xs">
        {summary}
      </Text>
      <BarChart
        h={220}
        data={[...rows.values()]}
        dataKey="at"
        type="stacked"
        withLegend
        yAxisLabel={t('flow.messages')}
        yAxisProps={{ allowDecimals: false }}
        series={keys.map((key, i) => ({
          name: `s${i}`,
          label: label(key),
          color: PALETTE[i % PALETTE.length],
        }))}
        barChartProps={{
          accessibilityLayer: true,
          title,
          desc: t('flow.summary', { count: total, series: keys.map(label).join(', ') || '—' }),
        }}
      />
    </Box>
  );
}
