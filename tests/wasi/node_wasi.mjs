// Run a WASI command under node's own WASI with the same preopen, env and
// arguments ward gets, to compare stdout byte for byte.
//   node node_wasi.mjs HOSTDIR GUESTDIR FILE.wasm [ARGS...]
// Environment: the KEY=VALUE pairs in WASI_ENV (newline-separated); WASI_ARGV0
// replaces argv[0] (ward run --argv0).
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [hostDir, guestDir, file, ...args] = process.argv.slice(2);
const env = {};
for (const pair of (process.env.WASI_ENV || '').split('\n')) {
  const eq = pair.indexOf('=');
  if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
}
const wasi = new WASI({
  version: 'preview1',
  args: [process.env.WASI_ARGV0 || file, ...args],
  env,
  preopens: { [guestDir]: hostDir },
  returnOnExit: true,
});
const module = await WebAssembly.compile(readFileSync(file));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
process.exitCode = wasi.start(instance);
