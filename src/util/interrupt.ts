/**
 * Clean-up that must run when the user interrupts a command (Ctrl-C, `kill`): removing a temp file
 * that would otherwise be left behind. Node's default action for these signals ends the process at
 * once, skipping every `finally`; a handler is installed only while some clean-up is registered, runs
 * them all (synchronously: the process is about to end), then raises the signal again with the default
 * action restored, so that the exit status still says which signal ended the process (130, 143…).
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const cleanups = new Set<() => void>();

function onSignal(signal: NodeJS.Signals): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // The process ends anyway; one failed clean-up must not keep the others from running.
    }
  }
  cleanups.clear();
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Runs `cleanup` if SIGINT, SIGTERM or SIGHUP arrives before the returned function is called.
 * `cleanup` must be synchronous.
 */
export function cleanUpOnSignal(cleanup: () => void): () => void {
  if (cleanups.size === 0) install();
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) uninstall();
  };
}
