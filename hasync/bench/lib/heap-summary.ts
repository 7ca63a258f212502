/** Sums a V8 heap snapshot's objects into the parts of the server they belong to. */
import { readFileSync } from 'node:fs';

/** Bytes per part (self sizes of the live objects the snapshot holds). */
export type HeapParts = Record<string, number>;

/** Constructor names of the objects each connection holds: Node's sockets, HTTP and `ws`. */
const CONNECTION = new Set([
  'Socket',
  'TCP',
  'WritableState',
  'ReadableState',
  'IncomingMessage',
  'ServerResponse',
  'HTTPParser',
  'WebSocket',
  'Receiver',
  'Sender',
  'Timeout',
  'TimersList',
  'BufferList',
  'Buffer',
  'ArrayBuffer',
  'Uint8Array',
  'FastBuffer',
  '_Request',
  '_Reply',
  'WriteWrap',
]);
/** HAsync's own per-session objects. */
const SESSION = new Set(['DeviceSession', 'MessageRate', 'Pino', 'LiveDevice']);

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function part(type: string, name: string): string {
  if (type === 'code') return 'compiled code and bytecode';
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
    return 'strings';
  if (type === 'closure') return 'closures (functions)';
  if (type === 'object' && CONNECTION.has(name)) return 'connections (net, http, ws objects)';
  if (type === 'object' && SESSION.has(name))
    return 'device sessions (session, rate limit, logger)';
  if (type === 'object' || type === 'array' || type === 'number') return 'plain objects and arrays';
  return 'V8 internals (shapes, contexts, native)';
}

export function summarizeHeap(path: string): HeapParts {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const [ti, ni, si] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out: HeapParts = {};
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + (ti ?? 0)] ?? 0] ?? '';
    const name = s.strings[s.nodes[i + (ni ?? 0)] ?? 0] ?? '';
    const key = part(type, name);
    out[key] = (out[key] ?? 0) + (s.nodes[i + (si ?? 0)] ?? 0);
  }
  return out;
}
