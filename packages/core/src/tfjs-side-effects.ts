/**
 * tfjs-core's Node bundle registers no gradients and no chained tensor methods; the
 * `@tensorflow/tfjs` bundle registers both (and the cpu backend) on the shared tfjs-core engine.
 * Imported first by the package index so every user of @deepspike/core can train.
 */
// A namespace import used as a value, not a bare `import '...'`: tsc copies a bare side-effect import
// into the declarations, which then pulled every @tensorflow/tfjs declaration (tfjs-layers' do not
// compile with skipLibCheck: false) into consumers' type checks; this one it leaves out of the .d.ts.
import * as tfjs from '@tensorflow/tfjs';

void tfjs;
