import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { AuditStore } from '../storage/audit-store.ts';

/** Returns the recorder for refused service calls of one device: a warning and an audit entry. */
export function denialRecorder(
  deps: { log: Logger; audit: AuditStore; clock: Clock },
  deviceId: string,
) {
  return (domain: string, service: string, reason: string): void => {
    deps.log.warn({ device_id: deviceId, domain, service, reason }, 'service call refused');
    deps.audit.append({
      at: deps.clock.now(),
      actor: `device:${deviceId}`,
      action: 'service_call_denied',
      device_id: deviceId,
      detail: { domain, service, reason },
    });
  };
}
