import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTICIPANT_KINDS, ParticipantKind } from '../api/admin-api';
import { useSession } from '../session';
import { ProblemAlert } from './problem-alert';

/** Registers a participant: its id (country code, a dot, the agency), name and kind. */
export function RegisterParticipantModal({
  opened,
  onClose,
  onRegistered,
}: {
  opened: boolean;
  onClose: () => void;
  onRegistered: () => void;
}) {
  const { t } = useTranslation();
  const { api, admin } = useSession();
  const [id, setId] = useState(admin.country === undefined ? '' : `${admin.country}.`);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ParticipantKind>('law-enforcement');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.registerParticipant({ id: id.trim(), name: name.trim(), kind });
      setName('');
      setId(admin.country === undefined ? '' : `${admin.country}.`);
      onRegistered();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('close') }}
      title={t('register.title')}
      size="lg"
    >
      <form onSubmit={(event) => void submit(event)}>
        <Stack>
          <ProblemAlert error={error} />
          <TextInput
            label={t('register.id')}
            description={t('register.idHelp')}
            value={id}
            onChange={(event) => setId(event.currentTarget.value.toUpperCase())}
            required
            data-autofocus
          />
          <TextInput
            label={t('register.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            required
            maxLength={200}
          />
          <NativeSelect
            label={t('register.kind')}
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value as ParticipantKind)}
            data={PARTICIPANT_KINDS.map((value) => ({ value, label: t(`kind.${value}`) }))}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('register.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
