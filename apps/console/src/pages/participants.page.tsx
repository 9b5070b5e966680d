import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Participant } from '../api/admin-api';
import { ProblemAlert } from '../components/problem-alert';
import { RegisterParticipantModal } from '../components/register-participant.modal';
import { STATUS_COLORS, StatusBadge } from '../components/status-badge';
import { countryName } from '../i18n';
import { useSession } from '../session';
import { useLoad } from '../use-load';

/** Participants by country, with kind, status and keys; registering one. */
export function ParticipantsPage() {
  const { t } = useTranslation();
  const { api, admin } = useSession();
  const { data, error, reload } = useLoad(useCallback(() => api.participants(), [api]));
  const [registering, setRegistering] = useState(false);
  const byCountry = new Map<string, Participant[]>();
  for (const participant of data ?? []) {
    byCountry.set(participant.country, [...(byCountry.get(participant.country) ?? []), participant]);
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('participants.title')}</Title>
        {admin.role !== 'auditor' && (
          <Button onClick={() => setRegistering(true)}>{t('participants.register')}</Button>
        )}
      </Group>
      <ProblemAlert error={error} />
      {data === undefined && error === undefined && <Loader aria-label={t('loading')} />}
      {data !== undefined && data.length === 0 && <Text>{t('participants.none')}</Text>}
      {[...byCountry.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([country, participants]) => (
          <Stack key={country} gap="xs" component="section" aria-label={countryName(country)}>
            <Title order={2} size="h3">
              {t('participants.country', { country: countryName(country), code: country })}
            </Title>
            <Table.ScrollContainer minWidth={640}>
              <Table striped withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('participants.column.participant')}</Table.Th>
                    <Table.Th>{t('participants.column.kind')}</Table.Th>
                    <Table.Th>{t('participants.column.status')}</Table.Th>
                    <Table.Th>{t('participants.column.keys')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {participants.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/participants/${encodeURIComponent(p.id)}`}>
                          {p.id}
                        </Anchor>
                        <Text size="sm">{p.name}</Text>
                      </Table.Td>
                      <Table.Td>{t(`kind.${p.kind}`)}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={p.status} />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {p.keys.length === 0 && <Text size="sm">{t('participants.noKeys')}</Text>}
                          {(['active', 'retired', 'revoked'] as const).map((status) => {
                            const count = p.keys.filter((k) => k.status === status).length;
                            return count === 0 ? null : (
                              <Badge key={status} variant="outline" color={STATUS_COLORS[status]}>
                                {t(`keys.count.${status}`, { count })}
                              </Badge>
                            );
                          })}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        ))}
      <RegisterParticipantModal
        opened={registering}
        onClose={() => setRegistering(false)}
        onRegistered={() => {
          setRegistering(false);
          reload();
        }}
      />
    </Stack>
  );
}
