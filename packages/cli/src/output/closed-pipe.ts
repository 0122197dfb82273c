/**
 * What a closed output pipe means (`strata runs list | head -1`: the reader is gone and writes fail with
 * EPIPE). For most commands it is the reader's choice, not an error: stop quietly. While a command
 * drives a run (`strata run`, `runs resume`), stopping would end the run half-done, to be found
 * `crashed` by the next reader: the output is dropped instead and the run goes on to its end (the exit
 * code is the run's). Ctrl-C still cancels it: the shell signals every process of the pipeline.
 */
let drivingRuns = 0;
const closed = new WeakSet<NodeJS.WriteStream>();

/** For a command that drives a run: a closed pipe mutes its output until the returned function is called. */
export function keepRunningOnClosedPipe(): () => void {
  drivingRuns++;
  let released = false;
  return () => {
    if (!released) drivingRuns--;
    released = true;
  };
}

/**
 * Handles a write error of stdout or stderr if it is a closed pipe (true): `exit` for most commands,
 * muted output while a run is driven. Later failures of a muted stream (a write through a reference
 * taken before it was muted fails as destroyed) are the same cause.
 */
export function onClosedPipe(
  stream: NodeJS.WriteStream,
  error: NodeJS.ErrnoException,
  exit: () => void,
): boolean {
  if (closed.has(stream)) return true;
  if (error.code !== 'EPIPE') return false;
  closed.add(stream);
  if (drivingRuns === 0) exit();
  mute(stream);
  return true;
}

function mute(stream: NodeJS.WriteStream): void {
  stream.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => done());
    return true;
  }) as typeof stream.write;
}
