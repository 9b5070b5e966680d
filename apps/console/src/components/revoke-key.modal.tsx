import { List, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Key } from '../api/admin-api';
import { useSession } from '../session';
import { ConfirmModal } from './confirm.modal';

/**
 * Revoking a key, with its reason, after saying what it means (PROTOCOL.md section 2): from now
 * on nothing signed with it is accepted, whatever time it claims; it leaves the published keys,
 * so recipients can no longer check its earlier signatures against them (the gateway's receipts
 * still attest those messages); and it cannot be undone.
 */
export function RevokeKeyModal({
  participant,
  keyToRevoke,
  onClose,
  onRevoked,
}: {
  participant: string;
  keyToRevoke: Key | undefined;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [reason, setReason] = useState('');
  const close = () => {
    setReason('');
    onClose();
  };

  return (
    <ConfirmModal
      opened={keyToRevoke !== undefined}
      title={t('revoke.title', { kid: keyToRevoke?.kid })}
      body={t('revoke.meaning')}
      confirm={t('revoke.confirm')}
      color="red"
      canConfirm={reason.trim() !== ''}
      onClose={close}
      onConfirm={async () => {
        await api.revokeKey(participant, keyToRevoke!.kid, reason.trim());
        setReason('');
        onRevoked();
      }}
    >
      <List size="sm">
        <List.Item>{t('revoke.consequence.new')}</List.Item>
        <List.Item>{t('revoke.consequence.signed')}</List.Item>
        <List.Item>{t('revoke.consequence.final')}</List.Item>
      </List>
      <Textarea
        label={t('revoke.reason')}
        description={t('revoke.reasonHelp')}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        required
        maxLength={1000}
        autosize
        minRows={2}
      />
    </ConfirmModal>
  );
}
