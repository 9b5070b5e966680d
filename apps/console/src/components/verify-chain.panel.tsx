import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Verdict, verifyWholeChain } from '../audit/verify-chain';
import { useSession } from '../session';
import { ProblemAlert } from './problem-alert';

type State =
  | { kind: 'idle' }
  | { kind: 'verifying'; verified: number }
  | { kind: 'done'; verdict: Verdict }
  | { kind: 'failed'; error: Error };

/** The button that reads the whole audit record and verifies its hash chain in this browser. */
export function VerifyChainPanel() {
  const { t } = useTranslation();
  const { api } = useSession();
  const [state, setState] = useState<State>({ kind: 'idle' });

  const verify = () => {
    setState({ kind: 'verifying', verified: 0 });
    verifyWholeChain(api, (verified) => setState({ kind: 'verifying', verified })).then(
      (verdict) => setState({ kind: 'done', verdict }),
      (error: unknown) => setState({ kind: 'failed', error: error as Error }),
    );
  };

  return (
    <Stack gap="xs" component="section" aria-label={t('audit.verify.label')}>
      <Group>
        <Button onClick={verify} disabled={state.kind === 'verifying'}>
          {t('audit.verify.button')}
        </Button>
        <Text size="sm">{t('audit.verify.how')}</Text>
      </Group>
      <div role="status" aria-live="polite">
        {state.kind === 'verifying' && (
          <Group gap="xs">
            <Loader size="sm" aria-hidden />
            <Text>{t('audit.verify.progress', { count: state.verified })}</Text>
          </Group>
        )}
        {state.kind === 'done' && state.verdict.holds && (
          <Alert color="green" title={t('audit.verify.holds', { count: state.verdict.verified })}>
            {t('audit.verify.holdsDetail')}
          </Alert>
        )}
      </div>
      {state.kind === 'done' && !state.verdict.holds && (
        <Alert color="red" role="alert" title={t('audit.verify.broken', { seq: state.verdict.broken.seq })}>
          <Text>{t(`audit.verify.why.${state.verdict.broken.kind}`, { ...state.verdict.broken })}</Text>
          <Text mt="xs">{t('audit.verify.before', { count: state.verdict.verified })}</Text>
        </Alert>
      )}
      {state.kind === 'failed' && <ProblemAlert error={state.error} />}
    </Stack>
  );
}
