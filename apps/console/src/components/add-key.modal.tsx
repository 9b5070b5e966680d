import { Alert, Button, FileInput, Group, Modal, Stack, Textarea } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { JwkRefusal, readPublicJwk } from '../api/jwk';
import { useSession } from '../session';
import { ProblemAlert } from './problem-alert';

/**
 * Adds a participant's public key, pasted or read from a file. A private key is refused here,
 * in the browser, and never sent.
 */
export function AddKeyModal({
  participant,
  opened,
  onClose,
  onAdded,
}: {
  participant: string;
  opened: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [refusal, setRefusal] = useState<JwkRefusal>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setText('');
    setFile(null);
    setRefusal(undefined);
    setError(undefined);
  };
  const close = () => {
    reset();
    onClose();
  };
  const upload = async (chosen: File | null) => {
    setFile(chosen);
    setRefusal(undefined);
    if (chosen !== null) setText(await chosen.text());
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const read = readPublicJwk(text);
    setRefusal(read.refusal);
    if (read.refusal !== undefined) return;
    setBusy(true);
    try {
      await api.addKey(participant, read.jwk);
      reset();
      onAdded();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      closeButtonProps={{ 'aria-label': t('close') }}
      title={t('addKey.title', { participant })}
      size="lg"
    >
      <form onSubmit={(event) => void submit(event)}>
        <Stack>
          {refusal !== undefined && (
            <Alert color="red" role="alert" title={t(`addKey.refused.${refusal.reason}.title`)}>
              {t(`addKey.refused.${refusal.reason}.body`, {
                members: refusal.reason === 'private' ? refusal.members : '',
              })}
            </Alert>
          )}
          <ProblemAlert error={error} />
          <Textarea
            label={t('addKey.jwk')}
            description={t('addKey.jwkHelp')}
            value={text}
            onChange={(event) => {
              setText(event.currentTarget.value);
              setRefusal(undefined);
            }}
            autosize
            minRows={5}
            maxRows={12}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-autofocus
          />
          <FileInput
            label={t('addKey.file')}
            description={t('addKey.fileHelp')}
            accept=".json,.jwk,application/json"
            value={file}
            onChange={(chosen) => void upload(chosen)}
            clearable
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('addKey.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
