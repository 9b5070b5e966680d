import { useCallback, useEffect, useState } from 'react';

/** What a page loads from the gateway: the data, or the error, and a way to load it again. */
export function useLoad<T>(load: () => Promise<T>): {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
} {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && (setData(value), setError(undefined)),
      (failure: unknown) => current && setError(failure as Error),
    );
    return () => {
      current = false;
    };
  }, [load, round]);
  return { data, error, reload: useCallback(() => setRound((n) => n + 1), []) };
}
