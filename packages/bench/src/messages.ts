/**
 * Every user-facing message of @deepspike/bench, in one place so tests can assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
export const messages = {
  scalingNeedsNative(cause: string): string {
    return `deepspike bench scaling: the native backend is needed (it sets the thread pool and the instruction set), got: ${cause}; expected @deepspike/backend-native built. Build it with \`npm run build:native -w @deepspike/backend-native\` (needs g++ and Node's headers).`;
  },
  badWorkload(name: string): string {
    return `deepspike bench: unknown workload "${name}", got "${name}"; expected mnist or cifar-resnet. Pass --workload mnist or --workload cifar-resnet.`;
  },
  badFirstLayer(got: unknown): string {
    return `deepspike bench: --first-layer must be once or copies, got ${JSON.stringify(got)}; expected once (the first conv on the image, as the framework's models run it) or copies (on its T copies, as the PyTorch reference does). Pass --first-layer once, copies, or once,copies.`;
  },
  badCount(flag: string, got: unknown, min: number): string {
    return `deepspike bench: ${flag} must be an integer >= ${min}, got ${String(got)}; expected e.g. ${min === 0 ? 3 : 20}.`;
  },
  badRate(r: number): string {
    return `deepspike bench events: a firing rate must be in (0, 1), got ${r}; expected e.g. 0.05. Pass --rates 0.01,0.05,0.1.`;
  },
  torchMissing(python: string, why: string): string {
    return `deepspike bench compare: PyTorch reference skipped, got ${why} from ${python}; expected torch importable. Install it with \`apt-get install -y python3-torch\` and pass --python /usr/bin/python3.`;
  },
  torchScriptMissing(tried: readonly string[]): string {
    return `deepspike bench compare: PyTorch reference skipped, got no torch_snn_bench.py at ${tried.join(', ')}; expected the script. Pass --torch-script PATH.`;
  },
  childFailed(what: string, code: number | null, tail: string): string {
    return `deepspike bench compare: ${what} failed, got exit code ${String(code)} (${tail}); expected 0. Run it alone to see the full output.`;
  },
} as const;
