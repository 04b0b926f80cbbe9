// The daemon's signals: SIGTERM / SIGINT stop it, SIGHUP reloads the config, SIGUSR1 resets the heal budget.
// Listening replaces Node's default (exit at once), so a stop always finishes the cycle in flight.

/** Where signals come from (the process; tests pass an EventEmitter). */
export interface SignalSource {
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/** A signal that stops the daemon. */
export type StopSignal = 'SIGTERM' | 'SIGINT';

/** What the daemon does on each signal. */
export interface SignalHandlers {
  stop(signal: StopSignal): void;
  reload(): void;
  healReset(): void;
}

/** Listens for the daemon's signals; returns a function that stops listening. */
export function onDaemonSignals(source: SignalSource, handlers: SignalHandlers): () => void {
  const table: [string, () => void][] = [
    ['SIGTERM', () => handlers.stop('SIGTERM')],
    ['SIGINT', () => handlers.stop('SIGINT')],
    ['SIGHUP', () => handlers.reload()],
    ['SIGUSR1', () => handlers.healReset()],
  ];
  for (const [event, listener] of table) source.on(event, listener);
  return () => {
    for (const [event, listener] of table) source.off(event, listener);
  };
}
