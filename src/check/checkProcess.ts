/**
 * The child process that runs a check with a user's strategy module (runInChild in
 * isolated.ts): runHere over the options it is sent, each finding sent back as it comes.
 * It runs no strategy code itself (that runs in its worker), and the process that started
 * it kills it once it has answered, even if a worker of its own is blocked in the kernel.
 */
import { runHere, type ChildRequest, type FromChild } from './isolated.js';

const send = (m: FromChild) => process.send!(m);

process.once('message', (request: ChildRequest) => {
  void runHere(
    {
      ...request.options,
      onLoaded: (name) => send({ type: 'loaded', name }),
      onProgress: (progress) => send({ type: 'progress', progress }),
      onResult: (result) => send({ type: 'result', result }),
    },
    request.startAt,
  ).then(
    (outcome) =>
      send({
        type: 'done',
        outcome: outcome.kind === 'done' ? { kind: 'done', results: [] } : outcome,
      }),
    (e: Error) => send({ type: 'failed', message: e.stack ?? e.message }),
  );
});
