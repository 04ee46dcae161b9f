// Instantiate a benchmark module in node (V8) with no imports, call its
// exported run() once and print the result, like `ward run --invoke run`.
//   node bench/node_run.mjs FILE.wasm [EXPORT]
import { readFileSync } from 'node:fs';

const [file, exportName = 'run'] = process.argv.slice(2);
if (!file) {
    console.error('usage: node node_run.mjs FILE.wasm [EXPORT]');
    process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
const fn = instance.exports[exportName];
if (typeof fn !== 'function') {
    console.error(`${file}: no exported function '${exportName}'`);
    process.exit(2);
}
console.log(String(fn()));
