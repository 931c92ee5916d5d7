/** Edits per day for the last N days, one series per actor, for the home chart. */
export interface EditsChartData {
  /** YYYY-MM-DD, oldest first, ending today (UTC). */
  days: string[];
  series: { actor: string; counts: number[]; total: number }[];
  max: number;
}

export function editsPerDay(
  entries: Iterable<{ at: string; actor: { name: string } }>,
  now: Date,
  dayCount = 90,
): EditsChartData {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const dayMs = 86_400_000;
  const days = Array.from({ length: dayCount }, (_, i) =>
    new Date(today - (dayCount - 1 - i) * dayMs).toISOString().slice(0, 10),
  );
  const index = new Map(days.map((day, i) => [day, i]));
  const byActor = new Map<string, number[]>();
  for (const entry of entries) {
    const i = index.get(entry.at.slice(0, 10));
    if (i === undefined) continue;
    let counts = byActor.get(entry.actor.name);
    if (!counts) byActor.set(entry.actor.name, (counts = new Array<number>(dayCount).fill(0)));
    counts[i]! += 1;
  }
  const series = [...byActor]
    .map(([actor, counts]) => ({ actor, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.actor.localeCompare(b.actor));
  const max = Math.max(0, ...days.map((_, i) => series.reduce((sum, s) => sum + s.counts[i]!, 0)));
  return { days, series, max };
}
