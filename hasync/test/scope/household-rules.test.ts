import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveScope } from '../../src/scope/resolve-scope.ts';
import {
  controllable,
  expired,
  localTime,
  type Schedule,
  withinSchedule,
} from '../../src/scope/schedule.ts';
import { staticHome } from '../helpers/static-home.ts';

const home = staticHome({
  areas: ['kitchen', 'hall', 'bedroom'],
  floors: { ground: ['kitchen', 'hall'], first: ['bedroom'] },
  areaLabels: { bedroom: ['kids'] },
  devices: { tv: { area: 'hall', labels: ['kids'] } },
  entities: {
    'light.kitchen': { area: 'kitchen' },
    'lock.front_door': { area: 'hall', labels: ['security'] },
    'media_player.tv': { device: 'tv' },
    'light.bedroom': { area: 'bedroom' },
    'climate.bedroom': { area: 'bedroom' },
    'climate.office': {},
  },
});

const rule = (partial: Record<string, string[]>) =>
  resolveScope({ areas: [], entities: [], excluded: [], ...partial }, home);

describe('selectors', () => {
  test('a floor reaches the entities of its areas', () => {
    assert.deepEqual([...rule({ floors: ['ground'] })].sort(), [
      'light.kitchen',
      'lock.front_door',
      'media_player.tv',
    ]);
  });

  test('a label reaches labelled entities, entities of labelled devices and of labelled areas', () => {
    assert.deepEqual([...rule({ labels: ['kids'] })].sort(), [
      'climate.bedroom',
      'light.bedroom',
      'media_player.tv',
    ]);
    assert.deepEqual([...rule({ labels: ['security'] })], ['lock.front_door']);
  });

  test('a domain reaches every entity of it, with or without an area', () => {
    assert.deepEqual([...rule({ domains: ['climate'] })].sort(), [
      'climate.bedroom',
      'climate.office',
    ]);
  });

  test('the scope is the union of every selector plus entities, minus exclusions', () => {
    const scope = rule({
      floors: ['first'],
      domains: ['climate'],
      entities: ['light.kitchen'],
      excluded: ['climate.bedroom'],
    });
    assert.deepEqual([...scope].sort(), ['climate.office', 'light.bedroom', 'light.kitchen']);
  });
});

describe('view only', () => {
  test('an entity or a whole domain can be visible and never controllable', () => {
    const r = { view_only: ['lock.front_door'], view_only_domains: ['climate'] };
    assert.equal(controllable(r, 'lock.front_door'), false);
    assert.equal(controllable(r, 'climate.office'), false);
    assert.equal(controllable(r, 'light.kitchen'), true);
    assert.equal(controllable({}, 'lock.front_door'), true);
  });
});

describe('expiry', () => {
  test('a device expires at its end date, and not before; null never expires', () => {
    const end = '2026-12-31T23:00:00Z';
    assert.equal(expired(end, Date.parse('2026-12-31T22:59:59Z')), false);
    assert.equal(expired(end, Date.parse('2026-12-31T23:00:00Z')), true);
    assert.equal(expired(null, Date.parse('2099-01-01T00:00:00Z')), false);
  });
});

describe('schedule windows', () => {
  const weekdays: Schedule = [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
  ];
  const at = (iso: string) => Date.parse(iso);

  test('weekdays 09:00–17:00 in the home’s time zone', () => {
    // 2026-12-02 is a Wednesday; Europe/Amsterdam is UTC+1 in December.
    assert.equal(withinSchedule(weekdays, at('2026-12-02T08:30:00Z'), 'Europe/Amsterdam'), true);
    assert.equal(withinSchedule(weekdays, at('2026-12-02T07:59:00Z'), 'Europe/Amsterdam'), false);
    assert.equal(withinSchedule(weekdays, at('2026-12-02T16:00:00Z'), 'Europe/Amsterdam'), false);
    assert.equal(withinSchedule(weekdays, at('2026-12-05T10:00:00Z'), 'Europe/Amsterdam'), false);
    assert.equal(withinSchedule(null, at('2026-12-05T10:00:00Z'), 'Europe/Amsterdam'), true);
  });

  test('a window past midnight covers the night into the next day', () => {
    const nights: Schedule = [{ days: ['fri'], from: '22:00', to: '06:00' }];
    const zone = 'UTC';
    assert.equal(withinSchedule(nights, at('2026-12-04T23:30:00Z'), zone), true, 'Friday 23:30');
    assert.equal(withinSchedule(nights, at('2026-12-05T05:59:00Z'), zone), true, 'Saturday 05:59');
    assert.equal(withinSchedule(nights, at('2026-12-05T06:00:00Z'), zone), false, 'Saturday 06:00');
    assert.equal(withinSchedule(nights, at('2026-12-04T05:00:00Z'), zone), false, 'Friday 05:00');
    assert.equal(withinSchedule(nights, at('2026-12-05T23:00:00Z'), zone), false, 'Saturday 23:00');
  });

  test('across the DST changes the wall clock decides', () => {
    const zone = 'Europe/Amsterdam';
    const morning: Schedule = [{ days: ['sun'], from: '08:00', to: '09:00' }];
    // 2026-03-29: clocks go forward at 02:00 (UTC+1 → UTC+2); 08:30 local is 06:30Z.
    assert.deepEqual(localTime(at('2026-03-29T06:30:00Z'), zone), { day: 'sun', minute: 510 });
    assert.equal(withinSchedule(morning, at('2026-03-29T06:30:00Z'), zone), true);
    assert.equal(withinSchedule(morning, at('2026-03-29T07:30:00Z'), zone), false);
    // 2026-10-25: clocks go back at 03:00 (UTC+2 → UTC+1); 08:30 local is 07:30Z.
    assert.equal(withinSchedule(morning, at('2026-10-25T07:30:00Z'), zone), true);
    assert.equal(withinSchedule(morning, at('2026-10-25T06:30:00Z'), zone), false);
    // 02:30 happens twice on 2026-10-25 and is inside 02:00–03:00 both times.
    const lateNight: Schedule = [{ days: ['sun'], from: '02:00', to: '03:00' }];
    assert.equal(withinSchedule(lateNight, at('2026-10-25T00:30:00Z'), zone), true);
    assert.equal(withinSchedule(lateNight, at('2026-10-25T01:30:00Z'), zone), true);
    // On 2026-03-29 02:00–03:00 never happens on the wall clock.
    for (const iso of ['2026-03-29T00:30:00Z', '2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z']) {
      assert.equal(withinSchedule(lateNight, at(iso), zone), false, iso);
    }
  });

  test('a malformed time is an error, not a silent "never"', () => {
    assert.throws(
      () => withinSchedule([{ days: ['mon'], from: '25:00', to: '26:00' }], 0, 'UTC'),
      /not a time of day/,
    );
  });
});
