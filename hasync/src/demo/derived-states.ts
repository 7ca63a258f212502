import { createHash } from 'node:crypto';
import { domainOf } from '../protocol/home-assistant.ts';
import type { DemoState } from './compressed-state.ts';
import type { HomeModel } from './home-model.ts';
import { mediaPicture } from './seed-home-extras.ts';

/** Entities whose state follows others' (Home Assistant's groups listen to their members). */
const GROUP_DOMAINS = new Set(['light', 'group']);
/** group/__init__.py registry `on_off_states`: a member in one of these makes the group "on". */
const ON_STATES = new Set(['on', 'home', 'open', 'playing', 'unlocked']);

function membersOf(st: DemoState | undefined): string[] | undefined {
  const members = st?.attributes.entity_id;
  if (!st || !GROUP_DOMAINS.has(domainOf(st.entity_id)) || !Array.isArray(members))
    return undefined;
  return members.filter((m): m is string => typeof m === 'string');
}

/**
 * Keeps derived states current after every write, as Home Assistant's integrations do: a light
 * group and an old-style group follow their members (group/light.py `async_update_group_state`,
 * group/__init__.py `_async_update_group_state`), `zone.home` counts the persons at home
 * (zone/__init__.py `_person_state_change_listener`), and a media player's `entity_picture`
 * disappears while it is off (media_player/__init__.py `entity_picture`). Cheap for entities
 * that nothing depends on: one map lookup.
 */
export class DerivedStates {
  readonly #model: HomeModel;
  readonly #groupsOf = new Map<string, Set<string>>();

  constructor(model: HomeModel) {
    this.#model = model;
  }

  /** Indexes the groups and brings every derived state up to date. */
  refreshAll(): void {
    this.#reindex();
    for (const group of new Set([...this.#groupsOf.values()].flatMap((g) => [...g]))) {
      this.#updateGroup(group);
    }
    for (const id of this.#model.states.keys()) {
      if (id.startsWith('media_player.')) this.#updatePicture(id);
    }
    this.#updateZone();
  }

  /** Called after every state write (the model's change listener). */
  changed(entityId: string, old: DemoState | undefined, next: DemoState | undefined): void {
    const members = membersOf(next) ?? membersOf(old);
    if (members && JSON.stringify(membersOf(old)) !== JSON.stringify(membersOf(next))) {
      this.#reindex();
      if (next) this.#updateGroup(entityId);
    }
    for (const group of this.#groupsOf.get(entityId) ?? []) this.#updateGroup(group);
    if (entityId.startsWith('person.')) this.#updateZone();
    else if (entityId.startsWith('media_player.')) this.#updatePicture(entityId);
  }

  #reindex(): void {
    this.#groupsOf.clear();
    for (const st of this.#model.states.values()) {
      for (const member of membersOf(st) ?? []) {
        const groups = this.#groupsOf.get(member) ?? new Set<string>();
        groups.add(st.entity_id);
        this.#groupsOf.set(member, groups);
      }
    }
  }

  #updateGroup(groupId: string): void {
    const group = this.#model.states.get(groupId);
    const members = (membersOf(group) ?? []).flatMap((id) => {
      const st = this.#model.states.get(id);
      return st ? [st] : [];
    });
    if (!group || members.length === 0) return;
    if (domainOf(groupId) === 'light') {
      const on = members.filter((m) => m.state === 'on');
      const levels = on.map((m) => m.attributes.brightness).filter((b) => typeof b === 'number');
      const brightness =
        levels.length === 0 ? null : Math.round(levels.reduce((a, b) => a + b, 0) / levels.length);
      this.#model.set(groupId, on.length > 0 ? 'on' : 'off', {
        ...group.attributes,
        brightness: on.length > 0 ? brightness : null,
        color_mode: on.length > 0 ? 'brightness' : null,
      });
      return;
    }
    const anyOn = members.some((m) => ON_STATES.has(m.state));
    const locks = members.every((m) => domainOf(m.entity_id) === 'lock');
    const state = locks ? (anyOn ? 'unlocked' : 'locked') : anyOn ? 'on' : 'off';
    this.#model.set(groupId, state, group.attributes);
  }

  #updateZone(): void {
    const zone = this.#model.states.get('zone.home');
    if (!zone) return;
    const persons: string[] = [];
    for (const [id, st] of this.#model.states) {
      if (id.startsWith('person.') && st.state === 'home') persons.push(id);
    }
    this.#model.set('zone.home', String(persons.length), { ...zone.attributes, persons });
  }

  #updatePicture(entityId: string): void {
    const st = this.#model.states.get(entityId);
    const token = this.#model.imageTokens.get(entityId);
    if (!st || !token) return;
    const { entity_picture: shown, ...rest } = st.attributes;
    if (st.state === 'off') {
      if (shown !== undefined) this.#model.set(entityId, st.state, rest);
      return;
    }
    const cache = createHash('sha256').update(entityId).digest('hex').slice(0, 16);
    const picture = mediaPicture(entityId, token, cache);
    if (shown !== picture)
      this.#model.set(entityId, st.state, { ...rest, entity_picture: picture });
  }
}
