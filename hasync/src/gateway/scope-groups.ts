import type { HomeView } from '../cache/home-view.ts';
import {
  type DeviceRule,
  deviceScope,
  pinDomainsOf,
  type StateScope,
} from '../scope/scoped-state.ts';

/**
 * Devices with the same scope rule (and the same action-PIN domains, which change what their lock
 * and alarm states say) share one resolved scope, so a change is filtered and encoded
 * once per distinct scope rather than once per device or socket.
 */
export class ScopeGroups<Member> {
  readonly #groups = new Map<
    string,
    { scope: StateScope; rule: DeviceRule; members: Set<Member> }
  >();
  readonly #keyOf = new Map<Member, string>();

  /** Puts a member under its rule's group; returns the group's scope. */
  join(member: Member, rule: DeviceRule, home: HomeView): StateScope {
    this.leave(member);
    const key = ruleKey(rule);
    let group = this.#groups.get(key);
    if (!group) {
      group = { scope: deviceScope(rule, home), rule, members: new Set() };
      this.#groups.set(key, group);
    }
    group.members.add(member);
    this.#keyOf.set(member, key);
    return group.scope;
  }

  leave(member: Member): void {
    const key = this.#keyOf.get(member);
    if (key === undefined) return;
    this.#keyOf.delete(member);
    const group = this.#groups.get(key);
    group?.members.delete(member);
    if (group && group.members.size === 0) this.#groups.delete(key);
  }

  scopeOf(member: Member): StateScope {
    const key = this.#keyOf.get(member);
    return (key !== undefined && this.#groups.get(key)?.scope) || new Set();
  }

  /** Each distinct scope with its members. */
  *entries(): Generator<[StateScope, ReadonlySet<Member>]> {
    for (const group of this.#groups.values()) yield [group.scope, group.members];
  }

  /** Re-resolves every group; yields each group whose scope changed, with old and new sets. */
  *refresh(home: HomeView): Generator<{
    before: StateScope;
    after: StateScope;
    members: ReadonlySet<Member>;
  }> {
    for (const group of this.#groups.values()) {
      const before = group.scope;
      const after = deviceScope(group.rule, home);
      if (sameSet(before, after)) continue;
      group.scope = after;
      yield { before, after, members: group.members };
    }
  }
}

function ruleKey(rule: DeviceRule): string {
  const sorted = (list: readonly string[] | undefined) => [...(list ?? [])].sort();
  return JSON.stringify([
    sorted(rule.areas),
    sorted(rule.entities),
    sorted(rule.excluded),
    sorted(rule.floors),
    sorted(rule.labels),
    sorted(rule.domains),
    sorted(pinDomainsOf(rule)),
  ]);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}
