"""Entities with an entity_category, which the demo integration of HA 2024.3.3 lacks.

Home Assistant skips config and diagnostic entities (and hidden ones) when a service call targets
an area or device (HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids); the
conformance suite needs such entities inside an area to check that HAsync does the same.
"""
