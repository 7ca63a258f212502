import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { networkInterfaces } from 'node:os';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { DeviceAddress, primaryAddress } from '../../src/upstream/device-address.ts';

const log = createLogger('error');
type Interfaces = ReturnType<typeof networkInterfaces>;

const LAN: Interfaces = {
  lo: [
    {
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      family: 'IPv4',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: '127.0.0.1/8',
    },
  ],
  eth0: [
    {
      address: 'fe80::1',
      netmask: 'ffff:ffff:ffff:ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: 'fe80::1/64',
      scopeid: 2,
    },
    {
      address: '192.168.1.20',
      netmask: '255.255.255.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: '192.168.1.20/24',
    },
  ],
};

const standalone = (overrides: Partial<ConstructorParameters<typeof DeviceAddress>[0]> = {}) =>
  new DeviceAddress({
    log,
    mode: 'demo',
    publicUrl: undefined,
    deviceBind: '0.0.0.0',
    devicePort: () => 8100,
    interfaces: () => LAN,
    ...overrides,
  });

describe('the address a device on the network opens', () => {
  test('HASYNC_PUBLIC_URL wins, read through the options schema and ending in a slash', () => {
    const config = loadConfig({
      env: { HASYNC_PUBLIC_URL: 'https://tablets.example.net:8443/hasync', HASYNC_DATA_DIR: '/x' },
    });
    assert.equal(config.publicUrl, 'https://tablets.example.net:8443/hasync');
    const address = standalone({ publicUrl: config.publicUrl });
    assert.equal(address.url(), 'https://tablets.example.net:8443/hasync/');
  });

  test('refuses a HASYNC_PUBLIC_URL that is not a URL, naming the key', () => {
    assert.throws(
      () => loadConfig({ env: { HASYNC_PUBLIC_URL: 'tablet port 8100' } }),
      /HASYNC_PUBLIC_URL must be an http\(s\) or ws\(s\) URL/,
    );
  });

  test("without it, this machine's first non-loopback IPv4 address and the device port", () => {
    assert.equal(standalone().url(), 'http://192.168.1.20:8100/');
    assert.equal(standalone({ devicePort: () => 9100 }).url(), 'http://192.168.1.20:9100/');
  });

  test('a device listener bound to one address is reached at that address', () => {
    assert.equal(standalone({ deviceBind: '10.0.0.7' }).url(), 'http://10.0.0.7:8100/');
  });

  test('a machine with only loopback says 127.0.0.1', () => {
    const lo: Interfaces = { lo: LAN.lo ?? [] };
    assert.equal(standalone({ interfaces: () => lo }).url(), 'http://127.0.0.1:8100/');
  });
});

interface FakeSupervisor {
  url: string;
  seen: { path: string; auth: string | undefined }[];
  close(): Promise<void>;
}

async function fakeSupervisor(answers: Record<string, unknown>): Promise<FakeSupervisor> {
  const seen: FakeSupervisor['seen'] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    const data = answers[req.url ?? ''];
    res.writeHead(data === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(data === undefined ? { result: 'error' } : { result: 'ok', data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// Shapes as the Supervisor answers them (supervisor/api/addons.py info: "network" maps
// "<port>/tcp" to the host port or null; supervisor/api/network.py info: "interfaces").
const NETWORK_INFO = {
  interfaces: [
    { interface: 'docker0', primary: false, connected: true, ipv4: { address: [] } },
    {
      interface: 'enp2s0',
      primary: true,
      connected: true,
      ipv4: { method: 'auto', address: ['192.168.1.42/24'], gateway: '192.168.1.1' },
    },
  ],
};

describe('in app mode, from the Supervisor API', () => {
  const servers: FakeSupervisor[] = [];
  after(async () => {
    for (const server of servers) await server.close();
  });

  const appAddress = (url: string) =>
    new DeviceAddress({
      log,
      mode: 'app',
      publicUrl: undefined,
      deviceBind: '0.0.0.0',
      devicePort: () => 8100,
      supervisorToken: 'supervisor-token',
      supervisorUrl: url,
      interfaces: () => LAN,
    });

  test("uses Home Assistant's host address and the port the Supervisor publishes 8100 on", async () => {
    const supervisor = await fakeSupervisor({
      '/addons/self/info': { slug: 'hasync', network: { '8100/tcp': 18100 } },
      '/network/info': NETWORK_INFO,
    });
    servers.push(supervisor);
    const address = appAddress(supervisor.url);
    await address.start();
    await address.ready();
    assert.equal(address.url(), 'http://192.168.1.42:18100/');
    assert.deepEqual(supervisor.seen.map((s) => s.auth).sort(), [
      'Bearer supervisor-token',
      'Bearer supervisor-token',
    ]);
    await address.stop();
  });

  test('falls back to homeassistant.local while the port is unpublished or the Supervisor fails', async () => {
    const supervisor = await fakeSupervisor({
      '/addons/self/info': { slug: 'hasync', network: { '8100/tcp': null } },
      '/network/info': NETWORK_INFO,
    });
    servers.push(supervisor);
    const address = appAddress(supervisor.url);
    await address.start();
    await address.ready();
    assert.equal(address.url(), 'http://homeassistant.local:8100/');
    await address.stop();
  });

  test('the primary interface wins; any connected one otherwise', () => {
    assert.equal(primaryAddress(NETWORK_INFO), '192.168.1.42');
    const second = {
      interfaces: [
        { interface: 'wlan0', primary: false, connected: true, ipv4: { address: ['10.1.2.3/8'] } },
      ],
    };
    assert.equal(primaryAddress(second), '10.1.2.3');
    assert.equal(primaryAddress({}), undefined);
  });
});
