import { useEffect, useRef, useState } from 'react';
import { api } from '../api/api.js';
import type { LogLine } from '../api/types.js';
import { ErrorState } from '../components/states.js';

/**
 * A step's log, followed while the step runs: the page asks for lines after the last seq it has, once
 * a second, and stops when the step has finished and the last read came back empty.
 */
export function StepLogs({ stepRunId, live }: { stepRunId: string; live: boolean }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLPreElement>(null);
  const liveRef = useRef(live);
  liveRef.current = live;

  useEffect(() => {
    let stopped = false;
    let last = -1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        for (;;) {
          const batch = (await api.logs(stepRunId, last)).items;
          if (stopped) return;
          if (batch.length > 0) {
            last = (batch[batch.length - 1] as LogLine).seq;
            setLines((l) => [...l, ...batch]);
          }
          if (batch.length < 1000) break;
        }
        setError(undefined);
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e : new Error(String(e)));
      }
      if (!stopped && liveRef.current) timer = setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [stepRunId]);

  // When the step finishes, one more read picks up the lines written just before the end.
  useEffect(() => {
    if (!live) {
      void api.logs(stepRunId, lines[lines.length - 1]?.seq ?? -1).then(
        ({ items }) =>
          items.length &&
          setLines((l) => [...l, ...items.filter((b) => b.seq > (l[l.length - 1]?.seq ?? -1))]),
        () => {},
      );
    }
  }, [live, stepRunId]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  });

  const needle = filter.toLowerCase();
  const shown = needle ? lines.filter((l) => l.message.toLowerCase().includes(needle)) : lines;
  return (
    <div className="logs">
      <div className="logs-bar">
        <label>
          Search logs{' '}
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="text"
          />
        </label>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <span className="muted small">
          {shown.length} of {lines.length} lines{live ? ' · tailing' : ''}
        </span>
      </div>
      {error ? <ErrorState error={error} /> : null}
      <pre className="log-box" ref={box} role="log" aria-label="Log lines" data-testid="log-box">
        {shown.length === 0 ? (
          <span className="muted">{live ? 'Waiting for output…' : 'This step logged nothing.'}</span>
        ) : (
          shown.map((l) => (
            <div key={l.seq} className={`log-line log-${l.level}`}>
              <span className="log-time">{new Date(l.at).toLocaleTimeString()}</span> {l.message}
            </div>
          ))
        )}
      </pre>
    </div>
  );
}
