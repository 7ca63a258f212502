import type { EntityEntry } from '../protocol/home-assistant.ts';
import type { CommandContext } from './commands.ts';
import { forwardedError } from './frontend-commands.ts';

/**
 * The entity registry as a device's frontend asks for it (the history panel lists it, the
 * more-info dialog gets one entry): only entities in the device's scope. An entity outside the
 * scope is `not_found` whether it exists or not, as Home Assistant answers an unknown one.
 */

/** HA: components/config/entity_registry.py websocket_list_entities — entries as upstream sent them. */
export function scopedEntityEntries(ctx: CommandContext): EntityEntry[] {
  return [...ctx.home.entityEntries().values()].filter((entry) => ctx.scope.has(entry.entity_id));
}

/** HA: components/config/entity_registry.py websocket_get_entity (its `extended_dict`). */
export async function getEntityEntry(
  ctx: CommandContext,
  id: number,
  entityId: string,
): Promise<void> {
  if (!ctx.scope.has(entityId)) {
    ctx.session.error(id, 'not_found', 'Entity not found');
    return;
  }
  try {
    const entry = await ctx.upstream.command({
      type: 'config/entity_registry/get',
      entity_id: entityId,
    });
    ctx.session.result(id, entry);
  } catch (err) {
    ctx.session.errorObject(id, forwardedError(err));
  }
}
