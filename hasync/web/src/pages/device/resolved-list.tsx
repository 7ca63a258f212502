import type { DevicePatch, DeviceWithScope, Entity } from '../../api/types.ts';
import { EmptyState } from '../../components/feedback.tsx';
import { plural } from '../../components/format.ts';

interface ResolvedListProps {
  device: DeviceWithScope;
  entities: Entity[];
  save: (patch: DevicePatch) => Promise<void>;
}

/** Every entity the device may see right now, each with a way to exclude it. */
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
      )}
    </div>
  );
}
