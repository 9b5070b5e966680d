import { createContext, useContext } from 'react';
import type { AdminApi, Administrator } from './api/admin-api';

/** A signed-in administrator: the API client holding its token (in memory only) and who it is. */
export interface Session {
  api: AdminApi;
  admin: Administrator;
  signOut(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in session; every page below the sign-in has one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside a signed-in console');
  return session;
}
