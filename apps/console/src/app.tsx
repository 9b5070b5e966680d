import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes, useParams } from 'react-router';
import { AdminApi, ApiProblem } from './api/admin-api';
import { ConsoleShell } from './components/console-shell';
import { AuditPage } from './pages/audit.page';
import { NotFoundPage } from './pages/not-found.page';
import { OverviewPage } from './pages/overview.page';
import { ParticipantPage } from './pages/participant.page';
import { ParticipantsPage } from './pages/participants.page';
import { SignInPage } from './pages/sign-in.page';
import { TokenRefusedPage } from './pages/token-refused.page';
import { Session, SessionContext } from './session';

// The charts (recharts) load with the page that shows them, from the console's own origin.
const FlowPage = lazy(() => import('./pages/flow.page').then((page) => ({ default: page.FlowPage })));

type State =
  | { kind: 'signed-out'; signedOut: boolean }
  | { kind: 'refused' }
  | { kind: 'signed-in'; session: Omit<Session, 'signOut'> };

/**
 * The console: the sign-in until a token is accepted, then its pages. The token lives only in
 * this component's state (in the AdminApi it made): a reload or a closed tab forgets it.
 */
export function App() {
  const [state, setState] = useState<State>({ kind: 'signed-out', signedOut: false });
  const signOut = useCallback(() => setState({ kind: 'signed-out', signedOut: true }), []);
  const refused = useCallback(() => setState({ kind: 'refused' }), []);

  const signIn = useCallback(
    async (token: string) => {
      const api = new AdminApi(token, refused);
      try {
        setState({ kind: 'signed-in', session: { api, admin: await api.me() } });
      } catch (error) {
        if (!(error instanceof ApiProblem && error.tokenRefused)) throw error;
      }
    },
    [refused],
  );
  const session = useMemo(
    () => (state.kind === 'signed-in' ? { ...state.session, signOut } : undefined),
    [state, signOut],
  );

  return (
    <BrowserRouter basename="/console">
      {state.kind === 'refused' ? (
        <TokenRefusedPage onSignInAgain={() => setState({ kind: 'signed-out', signedOut: false })} />
      ) : session === undefined ? (
        <SignInPage onSignIn={signIn} signedOut={state.kind === 'signed-out' && state.signedOut} />
      ) : (
        <SessionContext.Provider value={session}>
          <ConsoleShell>
            <Routes>
              <Route path="/" element={<OverviewPage />} />
              <Route
                path="/flow"
                element={
                  <Suspense fallback={<PageLoading />}>
                    <FlowPage />
                  </Suspense>
                }
              />
              <Route path="/participants" element={<ParticipantsPage />} />
              <Route path="/participants/:id" element={<ParticipantRoute />} />
              <Route path="/audit" element={<AuditPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </ConsoleShell>
        </SessionContext.Provider>
      )}
    </BrowserRouter>
  );
}

/** One page per participant: another participant's address starts afresh, with nothing of the last. */
function ParticipantRoute() {
  const id = useParams().id ?? '';
  return <ParticipantPage key={id} id={id} />;
}

function PageLoading() {
  const { t } = useTranslation();
  return <Loader aria-label={t('loading')} />;
}
