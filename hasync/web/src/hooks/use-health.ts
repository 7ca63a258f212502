import { useSyncExternalStore } from 'react';
import { type HealthView, healthWatch } from '../api/health.ts';

const subscribe = (onChange: () => void) => healthWatch.subscribe(onChange);
const snapshot = (): HealthView => healthWatch.view;

/** The latest `GET /api/health` answer and any storage problem, shared by every component. */
export function useHealth(): HealthView {
  return useSyncExternalStore(subscribe, snapshot);
}
