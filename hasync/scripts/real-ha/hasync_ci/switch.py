"""A config switch: `switch.child_lock`."""

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import EntityCategory


async def async_setup_platform(hass, config, async_add_entities, discovery_info=None):
    async_add_entities([CiConfigSwitch()])


class CiConfigSwitch(SwitchEntity):
    _attr_name = "Child lock"
    _attr_unique_id = "hasync_ci_child_lock"
    _attr_entity_category = EntityCategory.CONFIG
    _attr_should_poll = False
    _attr_is_on = True

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._attr_is_on = True
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()
