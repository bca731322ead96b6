/**
 * The worker-thread task of the ONNX pool (piscina): runs one row through an ONNX model with
 * onnxruntime-node, off the request thread. Plain JavaScript, so it loads the same under tsx and
 * jest. Sessions are opened once per file and thread and kept.
 */
'use strict';
const ort = require('onnxruntime-node');

/** @type {Map<string, Promise<import('onnxruntime-node').InferenceSession>>} */
const sessions = new Map();

function session(path) {
  let s = sessions.get(path);
  if (!s) {
    // One intra-op thread: the model is small and the service shares its cores with requests.
    s = ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    s.catch(() => sessions.delete(path));
    sessions.set(path, s);
  }
  return s;
}

/**
 * `{ kind: 'describe', path }` → the model's input and output names;
 * `{ kind: 'run', path, input, row }` → `{ outputs: { name: number[] } }` for a [1, k] float row.
 */
module.exports = async function task(t) {
  const s = await session(t.path);
  if (t.kind === 'describe') return { inputNames: [...s.inputNames], outputNames: [...s.outputNames] };
  const input = t.input || s.inputNames[0];
  const row = Float32Array.from(t.row);
  const result = await s.run({ [input]: new ort.Tensor('float32', row, [1, row.length]) });
  const outputs = {};
  for (const [name, tensor] of Object.entries(result)) outputs[name] = Array.from(tensor.data, Number);
  return { outputs };
};
