import { Badge, Box, Button, Container, Group, NavLink, Paper, Text, Title } from '@mantine/core';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { countryName } from '../i18n';
import { useSession } from '../session';
import { LanguagePicker } from './language-picker';

/** Every signed-in page: who is acting, for which country, the navigation, and sign-out. */
export function ConsoleShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { admin, signOut } = useSession();
  const location = useLocation();
  const acting =
    admin.country === undefined
      ? t(`shell.role.${admin.role}`)
      : t('shell.actingFor', { country: countryName(admin.country), code: admin.country });

  return (
    <Box>
      <Paper component="header" shadow="xs" p="sm" radius={0}>
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm">
            <Title order={2} size="h4">
              {t('shell.title')}
            </Title>
            <Badge variant="light" size="lg" data-testid="acting-for">
              {acting}
            </Badge>
          </Group>
          <Group gap="sm" align="end">
            <LanguagePicker />
            <Button variant="default" onClick={signOut}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
        <Box component="nav" aria-label={t('nav.label')} mt="xs">
          <Group gap="xs">
            <NavLink
              component={RouterLink}
              to="/"
              label={t('nav.overview')}
              active={location.pathname === '/'}
              w="auto"
            />
            <NavLink
              component={RouterLink}
              to="/flow"
              label={t('nav.flow')}
              active={location.pathname === '/flow'}
              w="auto"
            />
            <NavLink
              component={RouterLink}
              to="/participants"
              label={t('nav.participants')}
              active={location.pathname.startsWith('/participants')}
              w="auto"
            />
            <NavLink
              component={RouterLink}
              to="/audit"
              label={t('nav.audit')}
              active={location.pathname.startsWith('/audit')}
              w="auto"
            />
          </Group>
        </Box>
      </Paper>
      <Container size="lg" py="md" component="main">
        <Text size="xs" mb="xs">
          {t('shell.tokenInMemory')}
        </Text>
        {children}
      </Container>
    </Box>
  );
}
