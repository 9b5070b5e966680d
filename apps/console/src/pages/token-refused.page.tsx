import { Alert, Button, Container, List, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Shown when the gateway refuses the token, at sign-in or later: wrong, expired or revoked. */
export function TokenRefusedPage({ onSignInAgain }: { onSignInAgain: () => void }) {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl" component="main">
      <Stack>
        <Title order={1}>{t('refused.title')}</Title>
        <Alert color="red" role="alert">
          {t('refused.body')}
        </Alert>
        <List>
          <List.Item>{t('refused.wrong')}</List.Item>
          <List.Item>{t('refused.expired')}</List.Item>
          <List.Item>{t('refused.revoked')}</List.Item>
        </List>
        <Button onClick={onSignInAgain} autoFocus>
          {t('refused.again')}
        </Button>
      </Stack>
    </Container>
  );
}
