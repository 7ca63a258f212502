import type { CommandContext } from './commands.ts';

/**
 * The registry list commands: components/config/area_registry.py, device_registry.py,
 * entity_registry.py (`list`, `list_for_display`), floor_registry.py and label_registry.py.
 */
export const REGISTRY_COMMANDS: Record<string, (ctx: CommandContext) => unknown> = {
  'config/area_registry/list': (ctx) => [...ctx.host.model.registry.areas.values()],
  'config/device_registry/list': (ctx) => [...ctx.host.model.registry.devices.values()],
  'config/entity_registry/list': (ctx) => ctx.host.model.registry.listEntities(),
  'config/entity_registry/list_for_display': (ctx) => ctx.host.model.registry.listForDisplay(),
  'config/floor_registry/list': (ctx) => [...ctx.host.model.registry.floors.values()],
  'config/label_registry/list': (ctx) => [...ctx.host.model.registry.labels.values()],
};
