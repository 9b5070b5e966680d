import { Alert, Badge, Box, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { ReactNode, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attention } from '../api/admin-api';
import { ParticipantLink } from '../components/participant-link';
import { ProblemAlert } from '../components/problem-alert';
import { formatTime } from '../i18n';
import { useSession } from '../session';
import { useLoad } from '../use-load';
import './overview.css';

const DAY_MS = 86_400_000;

/** The first page after sign-in: what needs attention now, each item linking to its participant. */
export function OverviewPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  const { data, error } = useLoad(useCallback(() => api.attention(), [api]));

  return (
    <Stack>
      <Title order={1}>{t('overview.title')}</Title>
      <ProblemAlert error={error} />
      {data === undefined && error === undefined && <Loader aria-label={t('loading')} />}
      {data !== undefined && <AttentionItems attention={data} />}
    </Stack>
  );
}

function AttentionItems({ attention }: { attention: Attention }) {
  const { t } = useTranslation();
  const { expiringKeys, failingDeliveries, suspendedWithSubscriptions, overdueReplies } = attention;
  const total =
    expiringKeys.length +
    failingDeliveries.length +
    suspendedWithSubscriptions.length +
    overdueReplies.length;
  const now = Date.parse(attention.at);

  return (
    <Stack>
      {total === 0 ? (
        <Alert color="green" title={t('overview.allClear')}>
          {t('overview.allClearBody')}
        </Alert>
      ) : (
        <Alert color="#9c3b00" variant="outline" title={t('overview.needsAttention', { count: total })}>
          {t('overview.needsAttentionBody')}
        </Alert>
      )}
      <Box className="attention-grid">
        <AttentionCard title={t('overview.expiringKeys.title')} count={expiringKeys.length}>
          {expiringKeys.map((key) => {
            const days = Math.max(0, Math.ceil((Date.parse(key.notAfter) - now) / DAY_MS));
            return (
              <List.Item key={key.kid}>
                <ParticipantLink id={key.participant} />
                <Text size="sm">
                  {t('overview.expiringKeys.item', { kid: key.kid, at: formatTime(key.notAfter) })}
                </Text>
                <Badge color="#9c3b00" variant="outline">
                  {t('overview.expiringKeys.days', { count: days })}
                </Badge>
              </List.Item>
            );
          })}
        </AttentionCard>
        <AttentionCard title={t('overview.failing.title')} count={failingDeliveries.length}>
          {failingDeliveries.map((d) => (
            <List.Item key={d.subscriptionId}>
              <ParticipantLink id={d.participant} />
              <Text size="sm">{t('overview.failing.subscription', { id: d.subscriptionId })}</Text>
              <Group gap={4}>
                {d.failed > 0 && (
                  <Badge color="#b02525" variant="outline">
                    {t('overview.failing.failed', { count: d.failed })}
                  </Badge>
                )}
                {d.retrying > 0 && (
                  <Badge color="#9c3b00" variant="outline">
                    {t('overview.failing.retrying', { count: d.retrying })}
                  </Badge>
                )}
              </Group>
            </List.Item>
          ))}
        </AttentionCard>
        <AttentionCard title={t('overview.suspended.title')} count={suspendedWithSubscriptions.length}>
          {suspendedWithSubscriptions.map((s) => (
            <List.Item key={s.participant}>
              <ParticipantLink id={s.participant} />
              <Text size="sm">{t('overview.suspended.item', { name: s.name, count: s.subscriptions })}</Text>
            </List.Item>
          ))}
        </AttentionCard>
        <AttentionCard title={t('overview.overdue.title')} count={overdueReplies.length}>
          {overdueReplies.map((o) => (
            <List.Item key={`${o.requestId} ${o.recipient}`}>
              <ParticipantLink id={o.recipient} />
              <Text size="sm">
                {t('overview.overdue.item', {
                  requester: o.requester,
                  at: formatTime(o.dueAt),
                  id: o.requestId,
                })}
              </Text>
            </List.Item>
          ))}
        </AttentionCard>
      </Box>
      <Text size="sm">{t('overview.circuits')}</Text>
    </Stack>
  );
}

/** One kind of attention item: a titled card with its count, and the items or a calm "none". */
function AttentionCard({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-label={title}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {title}
        </Title>
        <Badge color={count > 0 ? '#b02525' : '#1e6b34'} variant={count > 0 ? 'filled' : 'outline'}>
          {count}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm">{t('overview.none')}</Text>
      ) : (
        <List spacing="sm" listStyleType="none">
          {children}
        </List>
      )}
    </Card>
  );
}
