import { useState } from 'react';
import type { Area, DevicePatch, DeviceWithScope, Entity } from '../../api/types.ts';
import { Loading } from '../../components/feedback.tsx';
import { AreaChecklist } from '../pair/area-checklist.tsx';
import { EntitySearch } from './entity-search.tsx';

interface ScopeEditorProps {
  device: DeviceWithScope;
  areas: Area[];
  entities: Entity[];
  loading: boolean;
  save: (patch: DevicePatch) => Promise<void>;
}

/** Which areas and single entities the device may use, and which are excluded. */
export function ScopeEditor({ device, areas, entities, loading, save }: ScopeEditorProps) {
  const names = new Map(entities.map((entity) => [entity.entity_id, entity.name]));
  // Show a ticked area at once; the saved device replaces it (or a failed save reverts it).
  const [pendingAreas, setPendingAreas] = useState<string[] | undefined>();
  const chooseAreas = (selected: string[]) => {
    setPendingAreas(selected);
    void save({ areas: selected }).finally(() => setPendingAreas(undefined));
  };
  const remove = (key: 'entities' | 'excluded', entityId: string) =>
    void save({ [key]: device[key].filter((id) => id !== entityId) });
  return (
    <div className="card">
      <h3>What it can see</h3>
      {loading && areas.length === 0 ? (
        <Loading label="Loading areas…" />
      ) : (
        <AreaChecklist
          areas={areas}
          selected={pendingAreas ?? device.areas}
          onChange={chooseAreas}
          legend="Areas"
        />
      )}
      <h4>Single entities</h4>
      {device.entities.length === 0 && <p className="muted">None added.</p>}
      <ul className="chips" aria-label="Single entities">
        {device.entities.map((entityId) => (
          <li key={entityId} className="chip">
            {names.get(entityId) ?? entityId}
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove ${names.get(entityId) ?? entityId}`}
              onClick={() => remove('entities', entityId)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <EntitySearch
        exclude={device.scope}
        onAdd={(entityId) => void save({ entities: [...device.entities, entityId] })}
      />
      {device.excluded.length > 0 && (
        <>
          <h4>Excluded</h4>
          <ul className="chips" aria-label="Excluded entities">
            {device.excluded.map((entityId) => (
              <li key={entityId} className="chip chip-excluded">
                {names.get(entityId) ?? entityId}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Include ${names.get(entityId) ?? entityId} again`}
                  onClick={() => remove('excluded', entityId)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
