import { healthWatch } from '../api/health.ts';
import { useHealth } from '../hooks/use-health.ts';
import { routeHref } from '../hooks/use-route.ts';
import { useServerEvents } from '../hooks/use-server-events.ts';

/**
 * On every screen while HAsync cannot save to its database (full or read-only disk): the server's
 * reason and what to do. It goes by itself once writes work again and every revocation is saved.
 */
export function StorageBanner({ onStatusPage }: { onStatusPage: boolean }) {
  const { problem } = useHealth();
  // A revocation from another tab may be the one the disk did not take.
  useServerEvents((event) => {
    if (event.name === 'device_revoked' || event.name === 'upstream') healthWatch.refresh();
  });
  if (!problem) return null;
  return (
    <div className="banner banner-error" role="alert" aria-labelledby="storage-banner-title">
      <p className="banner-title" id="storage-banner-title">
        Storage problem: HAsync cannot save changes
      </p>
      <p className="banner-reason">{problem}</p>
      <p>
        Free space on the disk (or make it writable again); HAsync keeps retrying and this message
        goes away by itself. Until then, do not restart HAsync: changes not saved yet, revoked
        devices included, would be lost.
      </p>
      <div className="banner-actions">
        <button type="button" className="button" onClick={() => healthWatch.refresh()}>
          Check again
        </button>
        {!onStatusPage && (
          <a className="button button-text" href={routeHref({ page: 'status' })}>
            Open Status
          </a>
        )}
      </div>
    </div>
  );
}
