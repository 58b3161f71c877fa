// The page: takes the files the person chooses, hands them to the
// verifier's worker, and shows what it answers. Names from a bundle are
// only ever set as text (textContent) or inside the sandboxed report frame,
// whose HTML the verifier escaped.
'use strict';
const VERSION = '@VERSION@';
const $ = (id) => document.getElementById(id);
// The module, gzip-compressed and base64-encoded in the page.
const moduleReady = new Response(
  new Blob([Uint8Array.from(atob($('verifier-wasm').textContent.trim()), (c) => c.charCodeAt(0))])
    .stream()
    .pipeThrough(new DecompressionStream('gzip')),
).arrayBuffer();
let moduleBytes = null;
// Compiled once, for every verification of this page.
let compiled = null;
const workerUrl = URL.createObjectURL(new Blob([$('verifier-worker').textContent], { type: 'text/javascript' }));
let moduleSha256 = null;
let worker = null;
let result = null;
let bundleName = 'bundle';
let started = 0;
let phase = 'reading';

async function hex(bytes) {
  if (!(self.crypto && crypto.subtle)) return null;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function human(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return (unit === 0 ? value.toFixed(0) : value.toFixed(1)) + ' ' + units[unit];
}

// Keys, root certificates and policies are small: a larger file is not
// one, and is never read whole (the command line's limit for them).
const SMALL_FILE_LIMIT = 1 << 20;

async function textsOf(input) {
  return Promise.all(
    Array.from(input.files, async (file) => {
      if (file.size > SMALL_FILE_LIMIT) {
        throw new Error(file.name + ': larger than 1 MiB: not a key, certificate or policy file');
      }
      return { name: file.name, text: await file.text() };
    }),
  );
}

function show(status, line) {
  const verdict = $('verdict');
  verdict.textContent = line;
  if (status) verdict.dataset.status = status;
  else delete verdict.dataset.status;
}

function stop() {
  if (worker) worker.terminate();
  worker = null;
  $('progress').hidden = true;
}

function save(name, type, text) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// A chosen folder's file, named from the bag root. The browser turns each
// backslash of a file's name into a slash in the relative path, but keeps
// the name itself as it is: take the name from there.
function pathInFolder(file) {
  const parts = file.webkitRelativePath.split('/');
  const folders = parts.slice(1, parts.length - file.name.split('\\').length);
  folders.push(file.name);
  return folders.join('/');
}

async function start(form) {
  const chosen = Array.from(form === 'zip' ? $('bundle').files : $('bundle-folder').files);
  if (chosen.length === 0) return;
  stop();
  result = null;
  $('save-json').disabled = true;
  $('save-report').disabled = true;
  $('json').textContent = '';
  $('report').srcdoc = '';
  show('running', 'Checking…');
  if (compiled === null) {
    try {
      moduleBytes = new Uint8Array(await moduleReady);
      moduleSha256 = await hex(moduleBytes);
      compiled = await WebAssembly.compile(moduleBytes);
    } catch (e) {
      finish({ status: 'unusable', error: 'this browser cannot run the verifier: ' + e });
      return;
    }
  }
  let request;
  try {
    request = {
      now: Math.floor(Date.now() / 1000),
      trust: await textsOf($('trust')),
      tsa_ca: await textsOf($('tsa-ca')),
      ca: await textsOf($('ca')),
      policy: $('policy').files.length ? (await textsOf($('policy')))[0] : null,
      checked_by: { program: 'exhibit verification page', version: VERSION, module_sha256: moduleSha256 },
      lang: $('lang').value,
    };
  } catch (e) {
    finish({ status: 'unusable', error: e.message });
    return;
  }
  let files;
  if (form === 'zip') {
    files = [chosen[0]];
    bundleName = chosen[0].name;
    request.bundle = { form: 'zip', name: bundleName, size: chosen[0].size };
  } else {
    files = chosen;
    bundleName = (chosen[0].webkitRelativePath || chosen[0].name).split('/')[0];
    request.bundle = {
      form: 'folder',
      name: bundleName,
      files: chosen.map((file) => ({ path: pathInFolder(file), size: file.size })),
    };
  }
  started = performance.now();
  phase = 'reading';
  $('bar').value = 0;
  $('progress-text').textContent = '';
  $('progress').hidden = false;
  worker = new Worker(workerUrl);
  worker.onmessage = (event) => received(event.data);
  worker.onerror = (event) => finish({ status: 'unusable', error: 'the verifier stopped: ' + event.message });
  worker.postMessage({ kind: 'verify', module: compiled, files, request });
}

function received(message) {
  if (message.kind === 'phase') {
    phase = message.what;
  } else if (message.kind === 'progress') {
    const seconds = (performance.now() - started) / 1000;
    $('bar').value = message.total > 0 ? message.done / message.total : 0;
    $('progress-text').textContent =
      phase + ': ' + human(message.done) + ' of ' + human(message.total) +
      (seconds > 0.5 ? ', ' + human(message.done / seconds) + '/s' : '');
  } else if (message.kind === 'verified') {
    finish(message.answer);
  } else if (message.kind === 'report') {
    $('save-report').disabled = false;
    if (message.answer.html) save(bundleName + '.report.html', 'text/html', message.answer.html);
    else show(null, 'Could not write the report: ' + message.answer.error);
  }
}

function finish(answer) {
  $('progress').hidden = true;
  result = answer;
  if (answer.status === 'unusable') {
    if (worker) worker.terminate();
    worker = null;
    $('json').textContent = JSON.stringify({ status: 'unusable', error: answer.error }, null, 2);
    show('unusable', 'UNUSABLE: ' + answer.error);
    return;
  }
  $('json').textContent = answer.json;
  $('report').srcdoc = answer.html;
  $('save-json').disabled = false;
  $('save-report').disabled = false;
  show(answer.status, answer.verdict);
}

// The browser's language when the verifier speaks it, as the command line
// reads the locale; the person can choose another.
{
  const tag = (navigator.language || '').split('-')[0].toLowerCase();
  if ([...$('lang').options].some((option) => option.value === tag)) $('lang').value = tag;
}
$('bundle').addEventListener('change', () => start('zip'));
$('bundle-folder').addEventListener('change', () => start('folder'));
$('cancel').addEventListener('click', () => {
  stop();
  show(null, 'Cancelled: nothing was verified.');
});
$('save-json').addEventListener('click', () => {
  if (result && result.json) save(bundleName + '.verification.json', 'application/json', result.json + '\n');
});
$('save-report').addEventListener('click', () => {
  if (!worker) return;
  $('save-report').disabled = true;
  worker.postMessage({ kind: 'report' });
});
