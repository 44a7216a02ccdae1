import h5wasm from 'h5wasm/node';

/** The h5wasm module, initialised once (its WebAssembly instantiation is asynchronous). */
export async function h5(): Promise<typeof h5wasm> {
  await h5wasm.ready;
  return h5wasm;
}
