"""A diagnostic sensor: `sensor.garage_door_battery`."""

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import PERCENTAGE, EntityCategory


async def async_setup_platform(hass, config, async_add_entities, discovery_info=None):
    async_add_entities([CiDiagnosticSensor()])


class CiDiagnosticSensor(SensorEntity):
    _attr_name = "Garage door battery"
    _attr_unique_id = "hasync_ci_garage_door_battery"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.BATTERY
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_native_value = 87
    _attr_should_poll = False
