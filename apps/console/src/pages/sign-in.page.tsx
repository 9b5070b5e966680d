import { Alert, Button, Container, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguagePicker } from '../components/language-picker';

/** The token field and the "Sign in" button; nothing else is shown before a token is accepted. */
export function SignInPage({
  onSignIn,
  signedOut,
}: {
  onSignIn: (token: string) => Promise<void>;
  signedOut: boolean;
}) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await onSignIn(token.trim());
    } catch (error) {
      setFailure((error as Error).message);
      setBusy(false);
    }
  };

  return (
    <Container size="xs" py="xl" component="main">
      <form onSubmit={(event) => void submit(event)}>
        <Stack>
          <Title order={1}>{t('signIn.title')}</Title>
          <Text>{t('signIn.intro')}</Text>
          {signedOut && (
            <Alert color="blue" role="status">
              {t('signIn.signedOut')}
            </Alert>
          )}
          {failure !== undefined && (
            <Alert color="red" role="alert" title={t('signIn.unreachable')}>
              {failure}
            </Alert>
          )}
          <PasswordInput
            label={t('signIn.token')}
            description={t('signIn.tokenHelp')}
            value={token}
            onChange={(event) => setToken(event.currentTarget.value)}
            required
            autoComplete="off"
            autoFocus
          />
          <Button type="submit" loading={busy} disabled={token.trim() === ''}>
            {t('signIn.submit')}
          </Button>
          <LanguagePicker />
        </Stack>
      </form>
    </Container>
  );
}
