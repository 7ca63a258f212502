import { useEffect, useRef, useState } from 'react';
import { events, type ServerEventListener } from '../api/events.ts';

/** Calls `listener` for every Server-Sent Event while the component is mounted. */
export function useServerEvents(listener: ServerEventListener): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => events.subscribe((event) => latest.current(event)), []);
}

/** Whether the live event stream is connected right now. */
export function useEventsConnected(): boolean {
  const [connected, setConnected] = useState(events.connected);
  useEffect(() => events.onConnection(setConnected), []);
  return connected;
}
