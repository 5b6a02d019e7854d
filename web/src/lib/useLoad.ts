// Loads something for a settings or admin panel, with a reload after each change.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/http';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): { data: T | null; error: string | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The caller names what the load depends on, as with useEffect.
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not load.');
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** The server's sentence for a failed call, or a generic one. */
export const problem = (err: unknown, fallback = 'Something went wrong.'): string => (err instanceof Error && err.message ? err.message : fallback);
