import { type AuditWindowDeps, type AuditWindowKind, auditWindowsFor } from './audit-windows.ts';

/** Refused calls recorded in full (audit row and log line) per device and window. */
export const DENIALS_RECORDED_PER_WINDOW = 20;
/** The window; what is over the limit is counted and summarised once when the window ends. */
export const DENIAL_WINDOW_MS = 60_000;

/** Refused calls: a warning and an audit row each, up to the window's limit. */
const DENIALS: AuditWindowKind = {
  perWindow: DENIALS_RECORDED_PER_WINDOW,
  windowMs: DENIAL_WINDOW_MS,
  action: 'service_call_denied',
  summaryAction: 'service_calls_denied_summary',
  noun: 'refused call',
  logSummary: true,
};

/**
 * Returns the recorder for refused service calls of one device: a warning and an audit entry.
 * Rate-limited per device (AuditWindows), so that a device refused thousands of times a second
 * cannot fill the disk or the log ("…and 9,731 more refused calls").
 */
export function denialRecorder(deps: AuditWindowDeps, deviceId: string) {
  const windows = auditWindowsFor(deps, DENIALS);
  return (domain: string, service: string, reason: string): void => {
    const detail = { domain, service, reason };
    if (windows.record(deviceId, detail)) {
      deps.log.warn({ device_id: deviceId, ...detail }, 'service call refused');
    }
  };
}
