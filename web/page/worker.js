// The verifier's thread: runs exhibit's WebAssembly module over the files
// the person chose, read synchronously in slices (FileReaderSync), so the
// Rust code stays synchronous and no file is ever read whole.
'use strict';
let files = [];
let exports = null;
let lastProgress = 0;
const reader = new FileReaderSync();
// The bytes last read from a chosen file, and where they start.
const BLOCK = 16 << 20;
let block = { source: -1, start: 0, bytes: new Uint8Array(0) };
// The worker stays inside one call into the module for a whole
// verification, so the browser's collector runs only as JavaScript
// allocates, and the blocks read (memory outside the JavaScript heap) pile
// up: 1.1 GB held for a 4 GiB zip. A little JavaScript garbage with each
// block keeps the collector going: under 0.4 GB for the same zip.
const NUDGE = 1 << 20;
let nudge = null;
const decoder = new TextDecoder();

function memoryAt(ptr, len) {
  // Fresh view each time: the module's memory may have grown.
  return new Uint8Array(exports.memory.buffer, ptr, len);
}

const imports = {
  exhibit: {
    read_at(source, offset, ptr, len) {
      const file = files[source];
      if (!file) return -1;
      if (offset >= file.size) return 0;
      try {
        const end = Math.min(file.size, offset + len);
        if (!(block.source === source && offset >= block.start && end <= block.start + block.bytes.length)) {
          // Each read from the browser costs much more than its bytes:
          // read ahead in large blocks (the verifier reads mostly in order).
          const blockEnd = Math.min(file.size, offset + Math.max(len, BLOCK));
          nudge = new Array(NUDGE).fill(0);
          block = { source, start: offset, bytes: new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, blockEnd))) };
        }
        const bytes = block.bytes.subarray(offset - block.start, end - block.start);
        memoryAt(ptr, bytes.length).set(bytes);
        return bytes.length;
      } catch (e) {
        return -1;
      }
    },
    progress(done, total) {
      const now = performance.now();
      if (now - lastProgress >= 100 || done >= total) {
        lastProgress = now;
        postMessage({ kind: 'progress', done, total });
      }
    },
    phase(ptr, len) {
      postMessage({ kind: 'phase', what: decoder.decode(memoryAt(ptr, len).slice()) });
    },
  },
};

function call(name, request) {
  const input = new TextEncoder().encode(JSON.stringify(request));
  const ptr = exports.exhibit_alloc(input.length);
  memoryAt(ptr, input.length).set(input);
  const out = exports[name](ptr, input.length);
  exports.exhibit_free(ptr, input.length);
  const len = new DataView(exports.memory.buffer).getUint32(out, true);
  return JSON.parse(decoder.decode(memoryAt(out + 4, len).slice()));
}

onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.kind === 'verify') {
      const module = message.module;
      // Functions the module names but never calls here (bindings of a
      // library for randomness, which verifying never needs): they fail
      // loudly if ever called.
      const all = { ...imports };
      for (const { module: name, name: field, kind } of WebAssembly.Module.imports(module)) {
        if (name === 'exhibit' || kind !== 'function') continue;
        all[name] = all[name] || {};
        all[name][field] = () => {
          throw new Error(name + '.' + field + ' is not available in this page');
        };
      }
      const instance = await WebAssembly.instantiate(module, all);
      exports = instance.exports;
      files = message.files;
      postMessage({ kind: 'verified', answer: call('exhibit_verify', message.request) });
    } else if (message.kind === 'report') {
      postMessage({ kind: 'report', answer: call('exhibit_report', {}) });
    }
  } catch (e) {
    const answer = { status: 'unusable', error: 'the verifier stopped: ' + e };
    postMessage({ kind: message.kind === 'report' ? 'report' : 'verified', answer });
  }
};
