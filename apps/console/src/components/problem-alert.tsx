import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/admin-api';

/** What the gateway refused, and why, in its own words (its problem's detail and field errors). */
export function ProblemAlert({ error }: { error: Error | undefined }) {
  const { t } = useTranslation();
  if (error === undefined) return null;
  const errors = error instanceof ApiProblem ? error.errors : [];
  return (
    <Alert color="red" role="alert" title={t('problem.title')}>
      {error.message}
      {errors.length > 0 && (
        <List size="sm" mt="xs">
          {errors.map((e) => (
            <List.Item key={`${e.path}:${e.message}`}>
              {t('problem.field', { path: e.path, message: e.message })}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
