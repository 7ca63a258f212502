import type { ReactNode } from 'react';
import { type Route, routeHref } from '../hooks/use-route.ts';
import { useEventsConnected } from '../hooks/use-server-events.ts';
import { StorageBanner } from './storage-banner.tsx';

const TABS: readonly { page: Route['page']; label: string; route: Route }[] = [
  { page: 'devices', label: 'Devices', route: { page: 'devices' } },
  { page: 'pair', label: 'Pair a device', route: { page: 'pair' } },
  { page: 'activity', label: 'Activity', route: { page: 'activity' } },
  { page: 'status', label: 'Status', route: { page: 'status' } },
];

/** Header with the app name, the live-connection hint and the navigation tabs; storage trouble. */
export function AppShell({ route, children }: { route: Route; children: ReactNode }) {
  const connected = useEventsConnected();
  const current = route.page === 'device' ? 'devices' : route.page;
  return (
    <>
      <header className="app-header">
        <div className="app-title">
          <h1>HAsync</h1>
          <span className={connected ? 'live live-on' : 'live'} role="status">
            {connected ? 'Live' : 'Reconnecting…'}
          </span>
        </div>
        <nav aria-label="Main">
          {TABS.map((tab) => (
            <a
              key={tab.page}
              href={routeHref(tab.route)}
              className={tab.page === current ? 'tab tab-active' : 'tab'}
              aria-current={tab.page === current ? 'page' : undefined}
            >
              {tab.label}
            </a>
          ))}
        </nav>
      </header>
      <main className="content">
        <StorageBanner onStatusPage={route.page === 'status'} />
        {children}
      </main>
    </>
  );
}
