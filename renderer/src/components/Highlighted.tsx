import { Fragment } from 'react';
import type { EntityType } from '../../../shared/entities';
import type { NamesakeRow } from '../../../shared/readable';

/** `text` with the given `[start, end)` ranges marked, as search hits report them. */
export function Highlighted(props: { text: string; ranges: readonly (readonly [number, number])[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [start, end] of props.ranges) {
    if (start < at || end > props.text.length) continue;
    parts.push(<Fragment key={`t${start}`}>{props.text.slice(at, start)}</Fragment>);
    parts.push(<mark key={`m${start}`}>{props.text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(<Fragment key="rest">{props.text.slice(at)}</Fragment>);
  return <>{parts}</>;
}

/** The hit's title (marked when the title matched), then what else matched: an alias or a passage of text. */
export function HitText(props: {
  hit: { title: string; matched: string; field: string; ranges: [number, number][] };
  /** Shown before a matched alias ("also known as "). */
  aliasPrefix?: string;
  /** Put around what else matched, e.g. `[' (', ')']`. */
  wrap?: [string, string];
}) {
  const { hit } = props;
  const inTitle = hit.matched === hit.title;
  return (
    <>
      <span>
        <Highlighted text={hit.title} ranges={inTitle ? hit.ranges : []} />
      </span>
      {inTitle ? null : (
        <span className="muted">
          {props.wrap?.[0]}
          {hit.field === 'aliases' ? props.aliasPrefix : ''}
          <Highlighted text={hit.matched} ranges={hit.ranges} />
          {props.wrap?.[1]}
        </span>
      )}
    </>
  );
}

/** A search hit as the namesake details read it: the core adds `facts` to hits that share a title. */
export function hitAsRow(hit: {
  type: EntityType;
  id: string;
  title: string;
  facts?: Record<string, unknown>;
}): NamesakeRow {
  return { type: hit.type, id: hit.id, title: hit.title, document: hit.facts };
}
