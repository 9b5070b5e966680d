import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from './problem-alert';

/** Asks before an act that changes what the exchange accepts; shows the refusal if there is one. */
export function ConfirmModal({
  opened,
  title,
  body,
  confirm,
  color,
  onConfirm,
  onClose,
  children,
  canConfirm = true,
}: {
  opened: boolean;
  title: string;
  body: string;
  confirm: string;
  color?: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children?: ReactNode;
  canConfirm?: boolean;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const close = () => {
    setError(undefined);
    onClose();
  };
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
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
      title={title}
      size="lg"
    >
      <Stack>
        <Text>{body}</Text>
        {children}
        <ProblemAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            {t('cancel')}
          </Button>
          <Button color={color} loading={busy} disabled={!canConfirm} onClick={() => void run()}>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
