import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/client';
import { editsPerDay } from '../../lib/edits-per-day';

const DAYS = 90;
/** The chart reads at most this many audit entries; beyond it the oldest days are undercounted, and it says so. */
const MAX_ENTRIES = 20_000;
const PAGE = 1000;
const COLORS = ['#2457c5', '#d9730d', '#1e7b34', '#b3261e', '#7b4fc9', '#0f8a8a', '#8a6d0f'];
const WIDTH = 900;
const HEIGHT = 160;

/** Edits per day over the last 90 days, stacked by actor, drawn from the audit as plain SVG. */
export function EditsChart() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [from] = useState(() => new Date(Date.now() - DAYS * 86_400_000).toISOString());
  const activity = useQuery({
    queryKey: [...trpc.audit.query.queryKey({ from }), 'chart'],
    queryFn: async () => {
      const entries: { at: string; actor: { name: string } }[] = [];
      let cursor: string | null = null;
      do {
        const page = await client.audit.query.query({ from, cursor, limit: PAGE });
        for (const entry of page.items) entries.push({ at: entry.at, actor: entry.actor });
        cursor = page.nextCursor;
      } while (cursor && entries.length < MAX_ENTRIES);
      return { entries, truncated: cursor !== null };
    },
  });
  const data = useMemo(() => editsPerDay(activity.data?.entries ?? [], new Date(), DAYS), [activity.data]);
  const barWidth = WIDTH / DAYS;
  const scale = data.max > 0 ? (HEIGHT - 10) / data.max : 0;
  const total = data.series.reduce((sum, s) => sum + s.total, 0);
  return (
    <section aria-labelledby="chart-heading" className="chart">
      <h3 id="chart-heading">Edits per day, last {DAYS} days</h3>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 16}`}
        role="img"
        aria-label={`${total} edits in the last ${DAYS} days by ${data.series.length} people`}
      >
        {data.days.map((day, i) => {
          let y = HEIGHT;
          const tip = data.series
            .filter((s) => s.counts[i]! > 0)
            .map((s) => `${s.actor} ${s.counts[i]}`)
            .join(', ');
          return (
            <g key={day}>
              <title>{`${day}: ${tip || 'no edits'}`}</title>
              {data.series.map((series, s) => {
                const h = series.counts[i]! * scale;
                y -= h;
                return h > 0 ? (
                  <rect
                    key={series.actor}
                    x={i * barWidth + 1}
                    y={y}
                    width={barWidth - 2}
                    height={h}
                    fill={COLORS[s % COLORS.length]}
                  />
                ) : null;
              })}
            </g>
          );
        })}
        <line x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} stroke="currentColor" strokeOpacity={0.3} />
        <text x={0} y={HEIGHT + 14} fontSize={11} fill="currentColor">
          {data.days[0]}
        </text>
        <text x={WIDTH} y={HEIGHT + 14} fontSize={11} fill="currentColor" textAnchor="end">
          {data.days[DAYS - 1]}
        </text>
      </svg>
      <div className="legend">
        {data.series.map((series, s) => (
          <span key={series.actor} style={{ ['--swatch' as string]: COLORS[s % COLORS.length] }}>
            {series.actor}: {series.total}
          </span>
        ))}
      </div>
      {activity.data?.truncated ? (
        <p className="muted">
          Counted from the latest {MAX_ENTRIES.toLocaleString()} edits; older days may show fewer.
        </p>
      ) : null}
    </section>
  );
}
