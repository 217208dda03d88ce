import type { Connection } from './playState';

export interface StatusBarProps {
  readonly connection: Connection;
  readonly outboxCount: number;
  readonly outboxVisible: boolean;
  readonly durableOutbox: boolean;
  readonly onRetry: () => void;
}

const CONNECTION_TEXT: Record<Connection, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline · reconnecting',
};

/** Connection state and the outbox count, on one line of fixed height. */
export function StatusBar({ connection, outboxCount, outboxVisible, durableOutbox, onRetry }: StatusBarProps) {
  const waiting = `${outboxCount} ${outboxCount === 1 ? 'drawing' : 'drawings'} waiting to be sent`;
  return (
    <div className="status-bar">
      <span className={`pill pill-${connection}`} data-testid="connection-status" data-state={connection} role="status">
        <span className="dot" aria-hidden="true" />
        {CONNECTION_TEXT[connection]}
      </span>
      <span
        className={`outbox ${outboxVisible ? 'is-visible' : ''}`}
        data-testid="outbox-count"
        data-count={outboxCount}
        aria-live="polite"
        aria-hidden={!outboxVisible}
        title={durableOutbox ? 'Saved on this device until the server confirms them' : 'This browser cannot keep them after a reload'}
      >
        {outboxVisible ? (
          <>
            <span aria-hidden="true">⤴</span> {waiting}
            {!durableOutbox && ' (keep this tab open)'}
          </>
        ) : null}
      </span>
      {connection === 'offline' ? (
        <button type="button" className="link-button" onClick={onRetry} data-testid="reconnect-button">
          Reconnect now
        </button>
      ) : null}
    </div>
  );
}
