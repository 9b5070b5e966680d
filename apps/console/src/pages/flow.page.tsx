import { Alert, Button, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowBucket, Undelivered } from '../api/admin-api';
import { ConfirmModal } from '../components/confirm.modal';
import { FlowChart } from '../components/flow-chart';
import { ParticipantLink } from '../components/participant-link';
import { ProblemAlert } from '../components/problem-alert';
import { countryName } from '../i18n';
import { useSession } from '../session';
import { useLoad } from '../use-load';

/** The windows offered, each with a bucket that keeps it within the API's 500 buckets. */
const WINDOWS: Record<string, { ms: number; bucket: FlowBucket }> = {
  hour: { ms: 3_600_000, bucket: 'minute' },
  day: { ms: 86_400_000, bucket: 'hour' },
  week: { ms: 7 * 86_400_000, bucket: 'day' },
  month: { ms: 31 * 86_400_000, bucket: 'day' },
};
/** A replay covers every failed delivery of the subscription, however old. */
const REPLAY_FROM = '2000-01-01T00:00:00.000Z';

/** Message flow: accepted messages by type and by country over time; deliveries per subscription, with replay. */
export function FlowPage() {
  const { t } = useTranslation();
  const { api, admin } = useSession();
  const [window, setWindow] = useState('day');
  const load = useCallback(() => {
    const { ms, bucket } = WINDOWS[window];
    const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
    return api.flow(new Date(to.getTime() - ms).toISOString(), to.toISOString(), bucket);
  }, [api, window]);
  const { data, error, reload } = useLoad(load);
  const [replaying, setReplaying] = useState<Undelivered>();
  const [replayed, setReplayed] = useState<{ delivery: Undelivered; count: number }>();
  const typeName = (type: string) =>
    type === 'unknown' ? t('flow.unknown') : type.replace(/^org\.asean\.rdx\./, '');
  const countryLabel = (code: string) =>
    code === 'unknown' ? t('flow.unknown') : `${countryName(code)} (${code})`;

  return (
    <Stack>
      <Title order={1}>{t('flow.title')}</Title>
      <SegmentedControl
        aria-label={t('flow.window')}
        value={window}
        onChange={setWindow}
        data={Object.keys(WINDOWS).map((value) => ({ value, label: t(`flow.windows.${value}`) }))}
        w="fit-content"
      />
      <Text size="sm">{t('flow.refusedNote')}</Text>
      <ProblemAlert error={error} />
      {data === undefined && error === undefined && <Loader aria-label={t('loading')} />}
      {data !== undefined && (
        <>
          {(['accepted', 'refused'] as const).map((outcome) => (
            <Fragment key={outcome}>
              <FlowChart flow={data} outcome={outcome} by="type" label={typeName} />
              <FlowChart flow={data} outcome={outcome} by="country" label={countryLabel} />
            </Fragment>
          ))}
          <Stack gap="xs" component="section" aria-labelledby="deliveries-title">
            <Title order={2} size="h3" id="deliveries-title">
              {t('flow.deliveries.title')}
            </Title>
            {replayed !== undefined && (
              <Alert color="green" role="status" title={t('flow.deliveries.replayedTitle')}>
                {t('flow.deliveries.replayed', {
                  count: replayed.count,
                  id: replayed.delivery.subscriptionId,
                })}
              </Alert>
            )}
            {data.deliveries.length === 0 ? (
              <Text>{t('flow.deliveries.none')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table striped withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('flow.deliveries.participant')}</Table.Th>
                      <Table.Th>{t('flow.deliveries.subscription')}</Table.Th>
                      <Table.Th>{t('flow.deliveries.pending')}</Table.Th>
                      <Table.Th>{t('flow.deliveries.retrying')}</Table.Th>
                      <Table.Th>{t('flow.deliveries.failed')}</Table.Th>
                      <Table.Th>{t('flow.deliveries.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.deliveries.map((d) => (
                      <Table.Tr key={d.subscriptionId}>
                        <Table.Td>
                          <ParticipantLink id={d.participant} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" ff="monospace">
                            {d.subscriptionId}
                          </Text>
                        </Table.Td>
                        <Table.Td>{d.pending}</Table.Td>
                        <Table.Td>{d.retrying}</Table.Td>
                        <Table.Td>{d.failed}</Table.Td>
                        <Table.Td>
                          {admin.role !== 'auditor' && d.failed > 0 && (
                            <Button
                              size="xs"
                              variant="default"
                              aria-label={t('flow.deliveries.replayFor', { id: d.subscriptionId })}
                              onClick={() => setReplaying(d)}
                            >
                              {t('flow.deliveries.replay')}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        </>
      )}
      <ConfirmModal
        opened={replaying !== undefined}
        title={t('flow.deliveries.confirmTitle')}
        body={t('flow.deliveries.confirmBody', {
          count: replaying?.failed ?? 0,
          participant: replaying?.participant ?? '',
          id: replaying?.subscriptionId ?? '',
        })}
        confirm={t('flow.deliveries.replay')}
        onClose={() => setReplaying(undefined)}
        onConfirm={async () => {
          const delivery = replaying!;
          const { replayed: count } = await api.replayFailed(delivery, REPLAY_FROM, new Date().toISOString());
          setReplaying(undefined);
          setReplayed({ delivery, count });
          reload();
        }}
      />
    </Stack>
  );
}
