import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Key, Participant } from '../api/admin-api';

/** Dark enough for 4.5:1 text contrast on white and on the striped rows. */
export const STATUS_COLORS = {
  active: '#1e6b34',
  suspended: '#9c3b00',
  retired: '#495057',
  revoked: '#b02525',
} as const;

/** A participant's or a key's status, in words and colour. */
export function StatusBadge({ status }: { status: Participant['status'] | Key['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="outline">
      {t(`status.${status}`)}
    </Badge>
  );
}
