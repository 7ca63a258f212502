import { useCallback, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { DevicePatch } from '../../api/types.ts';
import { ErrorMessage, Loading } from '../../components/feedback.tsx';
import { useApi } from '../../hooks/use-api.ts';
import { navigate, routeHref } from '../../hooks/use-route.ts';
import { useServerEvents } from '../../hooks/use-server-events.ts';
import { DeviceSettings } from './device-settings.tsx';
import { HouseholdRules } from './household-rules.tsx';
import { ResolvedList } from './resolved-list.tsx';
import { RevokeCard } from './revoke-card.tsx';
import { ScopeEditor } from './scope-editor.tsx';
import { WallDisplay } from './wall-display.tsx';

/** Change one device's name and scope (saved at once, live sessions follow), or revoke it. */
export function DevicePage({ id }: { id: string }) {
  const device = useApi(() => api.device(id));
  const areas = useApi(() => api.areas());
  const floors = useApi(() => api.floors());
  const labels = useApi(() => api.labels());
  const entities = useApi(() => api.entities({}));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [revoked, setRevoked] = useState(false);
  useServerEvents((event) => {
    if (!('device_id' in event.payload) || event.payload.device_id !== id) return;
    if (event.name === 'device_revoked') setRevoked(true);
    else if (event.name !== 'pairing_completed') device.reload();
  });
  const { setData } = device;
  const save = useCallback(
    async (patch: DevicePatch) => {
      setSaving(true);
      try {
        setData(await api.patchDevice(id, patch));
        setSaveError(undefined);
      } catch (err) {
        setSaveError(errorMessage(err));
      } finally {
        setSaving(false);
      }
    },
    [id, setData],
  );
  const back = (
    <a className="back" href={routeHref({ page: 'devices' })}>
      ← All devices
    </a>
  );
  if (revoked) {
    return (
      <section>
        {back}
        <div className="card" role="status">
          <p>This device has been revoked. It can no longer connect.</p>
        </div>
      </section>
    );
  }
  if (!device.data) {
    return (
      <section>
        {back}
        {device.error ? (
          <ErrorMessage message={device.error} onRetry={device.reload} />
        ) : (
          <Loading label="Loading device…" />
        )}
      </section>
    );
  }
  const current = device.data;
  return (
    <section aria-labelledby="device-title">
      {back}
      <div className="page-head">
        <h2 id="device-title">{current.name}</h2>
        {saving && <Loading label="Saving…" />}
      </div>
      {saveError && <ErrorMessage message={saveError} />}
      <DeviceSettings device={current} save={save} />
      <ScopeEditor
        device={current}
        areas={areas.data ?? []}
        entities={entities.data ?? []}
        loading={areas.loading || entities.loading}
        save={save}
      />
      <HouseholdRules
        device={current}
        floors={floors.data ?? []}
        labels={labels.data ?? []}
        entities={entities.data ?? []}
        save={save}
      />
      <WallDisplay device={current} onSaved={setData} />
      <ResolvedList device={current} entities={entities.data ?? []} save={save} />
      <RevokeCard
        name={current.name}
        revoke={async () => {
          await api.revokeDevice(id);
          navigate({ page: 'devices' });
        }}
      />
    </section>
  );
}
