import type { Area } from '../../api/types.ts';
import { plural } from '../../components/format.ts';

interface AreaChecklistProps {
  areas: Area[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  disabled?: boolean;
  legend: string;
}

/** Home Assistant's areas as labelled checkboxes with their entity counts. */
export function AreaChecklist({ areas, selected, onChange, disabled, legend }: AreaChecklistProps) {
  if (areas.length === 0) return <p className="muted">Home Assistant has no areas yet.</p>;
  const toggle = (areaId: string, on: boolean) =>
    onChange(on ? [...selected, areaId] : selected.filter((id) => id !== areaId));
  return (
    <fieldset className="checklist" disabled={disabled}>
      <legend>{legend}</legend>
      {areas.map((area) => (
        <label key={area.area_id} className="check">
          <input
            type="checkbox"
            checked={selected.includes(area.area_id)}
            onChange={(event) => toggle(area.area_id, event.target.checked)}
          />
          <span className="check-label">{area.name}</span>
          <span className="muted">{plural(area.entity_count, 'entity', 'entities')}</span>
        </label>
      ))}
    </fieldset>
  );
}
