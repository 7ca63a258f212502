/**
 * PENDING: HAsync's call_service refusals diverge from Home Assistant 2024.3.3 (checked with
 * `HASYNC_CONFORMANCE=real-ha node --test test/conformance/pending/call-service.pending.ts`):
 * - `floor_id` / `label_id` in `target`: 2024.3.3 has no floor or label targets and answers
 *   invalid_format "extra keys not allowed @ data['target']['floor_id']. Got 'ground'"; in
 *   `service_data` it answers "extra keys not allowed @ data['floor_id']". HAsync answers
 *   `unauthorized` "the target reaches no entity this service acts on" (safe, but not HA's answer
 *   for an upstream without floors);
 * - an unknown service (light.nope): HA answers `not_found` "Service light.nope not found." with
 *   translation_key service_not_found, translation_placeholders {domain, service} and
 *   translation_domain homeassistant; HAsync answers `unauthorized`.
 * - an area target that reaches no entity the service acts on (e.g. switch.turn_off on an area
 *   whose switches are all hidden or categorised, or absent): HA runs the service on no entity and
 *   answers success; HAsync answers `unauthorized` "the target reaches no entity this service
 *   acts on". (Refusing may be the better choice for a device; if so, record it as a deliberate
 *   difference in the design notes and drop this test.)
 * Move each into call-service.test.ts once it passes against both upstreams.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bothAnswer, type Conformance, placedEntities, startConformance } from '../conformance.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

describe('call_service refusals answer as Home Assistant does', () => {
  // HA: homeassistant/helpers/config_validation.py ENTITY_SERVICE_FIELDS / TARGET_SERVICE_FIELDS
  // (2024.3.3: entity_id, device_id, area_id only)
  test('floor_id and label_id targets get the upstream answer', async () => {
    const answers = await bothAnswer(c, [
      {
        id: 1,
        type: 'call_service',
        domain: 'light',
        service: 'turn_off',
        target: { floor_id: 'ground' },
      },
      {
        id: 2,
        type: 'call_service',
        domain: 'light',
        service: 'turn_off',
        target: { label_id: 'x' },
      },
      {
        id: 3,
        type: 'call_service',
        domain: 'light',
        service: 'turn_off',
        service_data: { floor_id: 'ground' },
      },
    ]);
    for (const { ha, device } of answers) assert.deepEqual(device, ha);
  });

  // HA: homeassistant/core.py ServiceRegistry.async_call (ServiceNotFound, translation fields)
  test('an unknown service gets the upstream not_found with translation fields', async () => {
    const [answer] = await bothAnswer(c, [
      { id: 1, type: 'call_service', domain: 'light', service: 'nope' },
    ]);
    assert.ok(answer);
    assert.equal((answer.ha.error as { code: string }).code, 'not_found');
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/helpers/service.py entity_service_call (no referenced entity: nothing runs,
  // and handle_call_service answers success)
  test('an area target reaching only skipped entities answers as upstream', async () => {
    const ha = await c.haClient();
    const placed = await placedEntities(ha);
    const areas = new Set(placed.map((e) => e.area).filter((a): a is string => a !== null));
    const onlySkipped = [...areas].find((area) =>
      placed
        .filter((e) => e.area === area && e.disabled_by === null)
        .every(
          (e) =>
            e.hidden_by !== null ||
            e.entity_category !== null ||
            !e.entity_id.startsWith('switch.'),
        ),
    );
    assert.ok(onlySkipped, 'upstream has an area whose switches are all skipped (or absent)');
    const [answer] = await bothAnswer(
      c,
      [
        {
          id: 1,
          type: 'call_service',
          domain: 'switch',
          service: 'turn_off',
          target: { area_id: onlySkipped },
        },
      ],
      [onlySkipped],
    );
    assert.ok(answer);
    assert.equal(answer.ha.success, true);
    assert.equal(answer.device.success, answer.ha.success);
  });
});
