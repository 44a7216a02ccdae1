/**
 * Runs `fn` with a referenced timer alive, so Node does not exit while the run awaits work that
 * holds no handle of its own. Seen with the deepspike-native backend: a training run through
 * `@deepspike/train` ended the process with exit code 0 right after its first line, its event loop
 * empty while a promise was pending (under wasm the same run finished). The timer does nothing.
 */
export async function keepAlive<T>(fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 1 << 30);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
