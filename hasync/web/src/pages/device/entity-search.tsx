import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { Entity } from '../../api/types.ts';
import { ErrorMessage, Loading } from '../../components/feedback.tsx';

/** Waits this long after the last key before searching. */
const DEBOUNCE_MS = 250;
const MAX_RESULTS = 20;

/** "21.5 °C", "on": the state as Home Assistant shows it, with the unit when there is one. */
function stateText(entity: Entity): string {
  return entity.unit_of_measurement
    ? `${entity.state} ${entity.unit_of_measurement}`
    : entity.state;
}

/** Finds entities by name or id and adds one to the device. */
export function EntitySearch(props: { exclude: readonly string[]; onAdd: (id: string) => void }) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<Entity[]>();
  const [error, setError] = useState<string>();
  const [searching, setSearching] = useState(false);
  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setResults(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setSearching(true);
      api.entities({ q }).then(
        (found) => {
          if (!current) return;
          setResults(found);
          setError(undefined);
          setSearching(false);
        },
        (err: unknown) => {
          if (!current) return;
          setError(errorMessage(err));
          setSearching(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  const shown = results?.filter((entity) => !props.exclude.includes(entity.entity_id));
  return (
    <div className="search">
      <label htmlFor="entity-search">Add a single entity</label>
      <input
        id="entity-search"
        type="search"
        placeholder="Search by name or entity id"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      {searching && <Loading label="Searching…" />}
      {error && <ErrorMessage message={error} />}
      {shown && shown.length === 0 && !searching && (
        <p className="muted">No entities found that it cannot already see.</p>
      )}
      {shown && shown.length > 0 && (
        <ul className="list results" aria-label="Search results">
          {shown.slice(0, MAX_RESULTS).map((entity) => (
            <li key={entity.entity_id} className="row">
              <span className="row-main">
                <span className="row-title">{entity.name}</span>
                <span className="row-sub">{entity.entity_id}</span>
              </span>
              <span className="row-meta entity-state">{stateText(entity)}</span>
              <button
                type="button"
                className="button"
                aria-label={`Add ${entity.name}`}
                onClick={() => props.onAdd(entity.entity_id)}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
