/**
 * tfjs-core's Node bundle registers no gradients and no chained tensor methods; the
 * `@tensorflow/tfjs` bundle registers both (and the cpu backend) on the shared tfjs-core engine.
 * Imported first by the package index so every user of @deepspike/core can train.
 */
import '@tensorflow/tfjs';
