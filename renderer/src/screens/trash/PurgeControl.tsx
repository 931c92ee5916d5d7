import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { Progress } from '../../components/Progress';

/** Purge everything in the trash longer than N days (the retention setting by default), with progress. */
export function PurgeControl() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const [days, setDays] = useState<string>('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const effectiveDays = days === '' ? (settings.data?.trashRetentionDays ?? 30) : Number(days);

  const purge = () => {
    setError(null);
    setResult(null);
    setProgress({ done: 0, total: 0 });
    const subscription = client.trash.purge.subscribe(
      { olderThanDays: effectiveDays },
      {
        onData: (event) => {
          if (event.type === 'progress') setProgress({ done: event.done, total: event.total });
          else setResult(`Purged ${event.purged} entries older than ${effectiveDays} days.`);
        },
        onError: (failure) => {
          setError(failure);
          setProgress(null);
        },
        onComplete: () => {
          setProgress(null);
          void queryClient.invalidateQueries();
          subscription.unsubscribe();
        },
      },
    );
  };

  return (
    <div className="toolbar" role="group" aria-label="Purge old entries">
      <label>
        Older than (days)
        <input
          type="number"
          min={1}
          value={days === '' ? effectiveDays : days}
          onChange={(event) => setDays(event.target.value)}
          style={{ width: 90 }}
        />
      </label>
      <button type="button" className="btn danger" onClick={purge} disabled={progress !== null}>
        Purge
      </button>
      {progress ? <Progress label="Purging" done={progress.done} total={progress.total || null} /> : null}
      {result ? <span role="status">{result}</span> : null}
      <ErrorText error={error} />
    </div>
  );
}
