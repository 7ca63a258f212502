import type { HassServiceField } from '../protocol/home-assistant.ts';

/**
 * The demo home's scripts, as a `scripts.yaml` declares them: each is an entity
 * (`script.<object_id>`) and its own service of the same name, described by its `fields` and run
 * with them as variables. HA: homeassistant/components/script/__init__.py (ScriptEntity,
 * `_service_handler`, `async_set_service_schema`).
 */
export interface ScriptConfig {
  readonly objectId: string;
  readonly name: string;
  readonly description: string;
  readonly icon: string;
  readonly area: string | null;
  readonly fields: Readonly<Record<string, HassServiceField>>;
  /** The script's sequence: the service calls it makes, given its variables. */
  readonly sequence: (variables: Readonly<Record<string, unknown>>) => ScriptStep[];
}

/** One `action:` of a sequence (a service call with its target and data). */
export interface ScriptStep {
  readonly domain: string;
  readonly service: string;
  readonly target: Record<string, unknown>;
  readonly data?: Record<string, unknown>;
}

const KITCHEN_LIGHTS = ['light.kitchen_ceiling', 'light.kitchen_under_cabinet'];

export const SCRIPTS: readonly ScriptConfig[] = [
  {
    objectId: 'good_morning',
    name: 'Good morning',
    description: 'Kitchen lights up, coffee on, music on a speaker of your choice.',
    icon: 'mdi:weather-sunny',
    area: 'kitchen',
    fields: {
      brightness_pct: {
        name: 'Brightness',
        description: 'How bright the kitchen lights come on.',
        required: false,
        example: 80,
        selector: { number: { min: 1, max: 100, unit_of_measurement: '%' } },
      },
      speaker: {
        name: 'Speaker',
        description: 'Media player that starts playing.',
        required: false,
        selector: { entity: { domain: 'media_player' } },
      },
    },
    sequence: (vars) => {
      const steps: ScriptStep[] = [
        {
          domain: 'light',
          service: 'turn_on',
          target: { entity_id: KITCHEN_LIGHTS },
          data: {
            brightness_pct: typeof vars.brightness_pct === 'number' ? vars.brightness_pct : 80,
          },
        },
        { domain: 'switch', service: 'turn_on', target: { entity_id: 'switch.coffee_machine' } },
      ];
      if (typeof vars.speaker === 'string' || Array.isArray(vars.speaker)) {
        steps.push({
          domain: 'media_player',
          service: 'media_play',
          target: { entity_id: vars.speaker },
        });
      }
      return steps;
    },
  },
  {
    objectId: 'unlock_everything',
    name: 'Unlock everything',
    description: 'Unlocks every lock in the house.',
    icon: 'mdi:lock-open-variant',
    area: null,
    fields: {},
    sequence: () => [{ domain: 'lock', service: 'unlock', target: { entity_id: 'all' } }],
  },
];

export function scriptConfig(objectId: string): ScriptConfig | undefined {
  return SCRIPTS.find((s) => s.objectId === objectId);
}
