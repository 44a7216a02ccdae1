/**
 * Kernels whose registered gradient accepts `null` for an output that received no gradient.
 * tf.js itself always materialises a zero tensor for such outputs (a fresh zeroed array the size
 * of the output, every backward pass); a backend that intercepts that step (deepspike-native does)
 * may pass `null` instead to the kernels declared here, saving the allocation, the zero-fill and
 * one read of it.
 */
const tolerant = new Set<string>();

/** Declares that the registered gradient of `kernelName` handles `null` upstream gradients. */
export function declareAbsentGradientsAccepted(kernelName: string): void {
  tolerant.add(kernelName);
}

/** Whether the registered gradient of `kernelName` handles `null` upstream gradients. */
export function acceptsAbsentGradients(kernelName: string): boolean {
  return tolerant.has(kernelName);
}
