import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Key } from '../api/admin-api';
import { AddKeyModal } from '../components/add-key.modal';
import { ConfirmModal } from '../components/confirm.modal';
import { ProblemAlert } from '../components/problem-alert';
import { RevokeKeyModal } from '../components/revoke-key.modal';
import { StatusBadge } from '../components/status-badge';
import { countryName, formatTime } from '../i18n';
import { useSession } from '../session';
import { useLoad } from '../use-load';

/** One participant: its status (suspend, reactivate) and its keys (add, retire, revoke). */
export function ParticipantPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { api, admin } = useSession();
  const { data: participant, error, reload } = useLoad(useCallback(() => api.participant(id), [api, id]));
  const [adding, setAdding] = useState(false);
  const [retiring, setRetiring] = useState<Key>();
  const [revoking, setRevoking] = useState<Key>();
  const [changingStatus, setChangingStatus] = useState(false);
  const manages = admin.role !== 'auditor';

  if (participant === undefined) {
    return (
      <Stack>
        <Anchor component={Link} to="/participants">
          {t('participant.back')}
        </Anchor>
        <ProblemAlert error={error} />
        {error === undefined && <Loader aria-label={t('loading')} />}
      </Stack>
    );
  }
  const suspended = participant.status === 'suspended';

  return (
    <Stack>
      <Anchor component={Link} to="/participants">
        {t('participant.back')}
      </Anchor>
      <Group justify="space-between">
        <Title order={1}>{t('participant.title', { id: participant.id, name: participant.name })}</Title>
        <StatusBadge status={participant.status} />
      </Group>
      <Text>
        {t('participant.summary', {
          kind: t(`kind.${participant.kind}`),
          country: countryName(participant.country),
          since: formatTime(participant.createdAt),
        })}
      </Text>
      {manages && (
        <Group>
          <Button onClick={() => setAdding(true)}>{t('participant.addKey')}</Button>
          <Button variant={suspended ? 'filled' : 'default'} onClick={() => setChangingStatus(true)}>
            {suspended ? t('participant.reactivate') : t('participant.suspend')}
          </Button>
        </Group>
      )}
      <Title order={2} size="h3">
        {t('keys.title')}
      </Title>
      {participant.keys.length === 0 ? (
        <Text>{t('participants.noKeys')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('keys.column.kid')}</Table.Th>
                <Table.Th>{t('keys.column.alg')}</Table.Th>
                <Table.Th>{t('keys.column.status')}</Table.Th>
                <Table.Th>{t('keys.column.expires')}</Table.Th>
                <Table.Th>{t('keys.column.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {participant.keys.map((key) => (
                <Table.Tr key={key.kid}>
                  <Table.Td ff="monospace">{key.kid}</Table.Td>
                  <Table.Td>{key.alg}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={key.status} />
                    {key.revocationReason !== undefined && (
                      <Text size="xs">{t('keys.reason', { reason: key.revocationReason })}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {key.notAfter === undefined ? t('keys.noExpiry') : formatTime(key.notAfter)}
                  </Table.Td>
                  <Table.Td>
                    {manages && key.status !== 'revoked' && (
                      <Group gap="xs">
                        {key.status === 'active' && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setRetiring(key)}
                            aria-label={t('keys.retireKey', { kid: key.kid })}
                          >
                            {t('keys.retire')}
                          </Button>
                        )}
                        <Button
                          size="xs"
                          color="red"
                          variant="light"
                          onClick={() => setRevoking(key)}
                          aria-label={t('keys.revokeKey', { kid: key.kid })}
                        >
                          {t('keys.revoke')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddKeyModal
        participant={participant.id}
        opened={adding}
        onClose={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          reload();
        }}
      />
      <ConfirmModal
        opened={retiring !== undefined}
        title={t('retire.title', { kid: retiring?.kid })}
        body={t('retire.meaning')}
        confirm={t('retire.confirm')}
        onClose={() => setRetiring(undefined)}
        onConfirm={async () => {
          await api.retireKey(participant.id, retiring!.kid);
          setRetiring(undefined);
          reload();
        }}
      />
      <RevokeKeyModal
        participant={participant.id}
        keyToRevoke={revoking}
        onClose={() => setRevoking(undefined)}
        onRevoked={() => {
          setRevoking(undefined);
          reload();
        }}
      />
      <ConfirmModal
        opened={changingStatus}
        title={
          suspended
            ? t('reactivate.title', { id: participant.id })
            : t('suspend.title', { id: participant.id })
        }
        body={suspended ? t('reactivate.meaning') : t('suspend.meaning')}
        confirm={suspended ? t('reactivate.confirm') : t('suspend.confirm')}
        onClose={() => setChangingStatus(false)}
        onConfirm={async () => {
          await api.setStatus(participant.id, suspended ? 'active' : 'suspended');
          setChangingStatus(false);
          reload();
        }}
      />
    </Stack>
  );
}
