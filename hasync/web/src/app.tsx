import { AppShell } from './components/app-shell.tsx';
import { useRoute } from './hooks/use-route.ts';
import { ActivityPage } from './pages/activity/activity-page.tsx';
import { DevicePage } from './pages/device/device-page.tsx';
import { DevicesPage } from './pages/devices/devices-page.tsx';
import { PairPage } from './pages/pair/pair-page.tsx';
import { StatusPage } from './pages/status/status-page.tsx';

/** The admin UI: one screen per hash route. */
export function App() {
  const route = useRoute();
  return (
    <AppShell route={route}>
      {route.page === 'devices' && <DevicesPage />}
      {route.page === 'pair' && <PairPage />}
      {route.page === 'device' && <DevicePage key={route.id} id={route.id} />}
      {route.page === 'activity' && <ActivityPage />}
      {route.page === 'status' && <StatusPage />}
    </AppShell>
  );
}
