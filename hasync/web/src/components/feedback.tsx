import type { ReactNode } from 'react';

/** A spinner with a label, for anything slower than a blink. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** An error in words, with a way to try again. */
export function ErrorMessage({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error" role="alert">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="button button-text" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What an empty list says, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** A green or grey dot with a text alternative. */
export function OnlineDot({ online }: { online: boolean }) {
  return (
    <span
      className={online ? 'dot dot-online' : 'dot'}
      role="img"
      aria-label={online ? 'Online' : 'Offline'}
    />
  );
}
