import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientKey } from '../../src/shared/client-address.ts';

test('an IPv4 client is its address, also when IPv4-mapped', () => {
  assert.equal(clientKey('192.168.1.20'), '192.168.1.20');
  assert.equal(clientKey('::ffff:192.168.1.20'), '192.168.1.20');
});

test('an IPv6 client is its /64, however the address is written', () => {
  const key = '2001:db8:0:1::/64';
  assert.equal(clientKey('2001:db8:0:1::1'), key);
  assert.equal(clientKey('2001:0db8:0000:0001:abcd:ef01:2345:6789'), key);
  assert.equal(clientKey('2001:DB8::1:0:0:0:7%eth0'), key);
  assert.notEqual(clientKey('2001:db8:0:2::1'), key);
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
});

test('a socket without an address is one unknown client', () => {
  assert.equal(clientKey(undefined), 'unknown');
});
