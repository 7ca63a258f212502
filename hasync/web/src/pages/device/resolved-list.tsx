import { useState } from 'react';
import type { DevicePatch, DeviceWithScope, Entity } from '../../api/types.ts';
import { EmptyState } from '../../components/feedback.tsx';
import { plural } from '../../components/format.ts';

interface ResolvedListProps {
  device: DeviceWithScope;
  entities: Entity[];
  save: (patch: DevicePatch) => Promise<void>;
}

/** Every entity the device may see right now, each with a "can control" switch and a way to exclude it. */
export function ResolvedList({ device, entities, save }: ResolvedListProps) {
  const byId = new Map(entities.map((entity) => [entity.entity_id, entity]));
  const scope = [...device.scope].sort();
  return (
    <div className="card">
      <h3>It can see {plural(scope.length, 'entity', 'entities')}</h3>
      {scope.length === 0 ? (
        <EmptyState title="Nothing yet">
          <p>Choose areas or add single entities above.</p>
        </EmptyState>
      ) : (
        <>
          <p className="muted">Untick one to let the device see it but not control it.</p>
          <ul className="list" aria-label="Entities it can see">
            {scope.map((entityId) => {
              const entity = byId.get(entityId);
              return (
                <li key={entityId} className="row">
                  <span className="row-main">
                    <span className="row-title">{entity?.name ?? entityId}</span>
                    <span className="row-sub">{entityId}</span>
                  </span>
                  <span className="row-meta">{entity?.state ?? ''}</span>
                  <ControlSwitch
                    device={device}
                    entityId={entityId}
                    name={entity?.name}
                    save={save}
                  />
                  <button
                    type="button"
                    className="button button-text"
                    aria-label={`Exclude ${entity?.name ?? entityId}`}
                    onClick={() => void save({ excluded: [...device.excluded, entityId] })}
                  >
                    Exclude
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

/** Whether the device may control the entity: off puts it in `view_only`. */
function ControlSwitch({
  device,
  entityId,
  name,
  save,
}: {
  device: DeviceWithScope;
  entityId: string;
  name: string | undefined;
  save: (patch: DevicePatch) => Promise<void>;
}) {
  const domain = entityId.slice(0, entityId.indexOf('.'));
  const byDomain = device.view_only_domains.includes(domain);
  const canControl = !byDomain && !device.view_only.includes(entityId);
  // Shown at once while its save is under way (a controlled box would spring back until then).
  const [pending, setPending] = useState<boolean | undefined>();
  const shown = pending ?? canControl;
  return (
    <label className="check" title={byDomain ? `Every ${domain} is view-only` : 'Can control'}>
      <input
        type="checkbox"
        role="switch"
        aria-checked={shown}
        checked={shown}
        disabled={byDomain || device.read_only}
        aria-label={`${name ?? entityId} can be controlled`}
        onChange={(event) => {
          const next = event.target.checked;
          setPending(next);
          void save({
            view_only: next
              ? device.view_only.filter((id) => id !== entityId)
              : [...device.view_only, entityId],
          }).finally(() => setPending(undefined));
        }}
      />
    </label>
  );
}
