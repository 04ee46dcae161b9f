// node bench/startup_node.mjs FILE.wasm
// Prints the milliseconds for `new WebAssembly.Module(bytes)`
// (file already read).  Whether V8 compiles every function eagerly or only
// when first called depends on its flags (see bench/README.md).  One
// compile per process: V8 caches native modules by their bytes.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const bytes = readFileSync(process.argv[2]);
const start = performance.now();
const module = new WebAssembly.Module(bytes);
const ms = performance.now() - start;
if (WebAssembly.Module.exports(module).length === 0) throw new Error('no exports');
console.log(ms.toFixed(3));
