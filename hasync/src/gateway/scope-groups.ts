import type { HomeView } from '../cache/home-view.ts';
import { resolveScope, type ScopeRule } from '../scope/resolve-scope.ts';

/**
 * Devices with the same scope rule share one resolved scope, so a change is filtered and encoded
 * once per distinct scope rather than once per device or socket.
 */
export class ScopeGroups<Member> {
  readonly #groups = new Map<
    string,
    { scope: Set<string>; rule: ScopeRule; members: Set<Member> }
  >();
  readonly #keyOf = new Map<Member, string>();

  /** Puts a member under its rule's group; returns the group's scope. */
  join(member: Member, rule: ScopeRule, home: HomeView): ReadonlySet<string> {
    this.leave(member);
    const key = ruleKey(rule);
    let group = this.#groups.get(key);
    if (!group) {
      group = { scope: resolveScope(rule, home), rule, members: new Set() };
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

  scopeOf(member: Member): ReadonlySet<string> {
    const key = this.#keyOf.get(member);
    return (key !== undefined && this.#groups.get(key)?.scope) || new Set();
  }

  /** Each distinct scope with its members. */
  *entries(): Generator<[ReadonlySet<string>, ReadonlySet<Member>]> {
    for (const group of this.#groups.values()) yield [group.scope, group.members];
  }

  /** Re-resolves every group; yields each group whose scope changed, with old and new sets. */
  *refresh(home: HomeView): Generator<{
    before: ReadonlySet<string>;
    after: ReadonlySet<string>;
    members: ReadonlySet<Member>;
  }> {
    for (const group of this.#groups.values()) {
      const before = group.scope;
      const after = resolveScope(group.rule, home);
      if (sameSet(before, after)) continue;
      group.scope = after;
      yield { before, after, members: group.members };
    }
  }
}

function ruleKey(rule: ScopeRule): string {
  const sorted = (list: readonly string[] | undefined) => [...(list ?? [])].sort();
  return JSON.stringify([
    sorted(rule.areas),
    sorted(rule.entities),
    sorted(rule.excluded),
    sorted(rule.floors),
    sorted(rule.labels),
    sorted(rule.domains),
  ]);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}
