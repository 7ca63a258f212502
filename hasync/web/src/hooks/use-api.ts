import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client.ts';

/** What a loading API call looks like to a component. */
export interface ApiState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** Loads again; the current data stays on screen meanwhile. */
  reload: () => void;
  setData: (data: T) => void;
}

/**
 * Runs `load` once on mount and again on `reload()`; only the latest answer is kept. A component
 * whose `load` depends on props is keyed by them, so it mounts afresh when they change.
 */
export function useApi<T>(load: () => Promise<T>): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const run = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    loader.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setError(errorMessage(err));
        setLoading(false);
      },
    );
  }, []);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  return { data, error, loading, reload: run, setData };
}
