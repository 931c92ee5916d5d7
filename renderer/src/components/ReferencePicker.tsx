import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { entities, type EntityType } from '../../../shared/entities';
import { tellNamesakesApart } from '../../../shared/readable';
import { searchQueryProblem } from '../../../shared/search-query';
import { useTRPC } from '../api/client';
import { toShownError } from '../api/errors';
import { usePermission } from '../api/permissions';
import type { Outputs } from '../api/types';
import { useUi } from '../state/ui-store';
import { HitText, hitAsRow } from './Highlighted';
import { NamesakeDetail } from './NamesakeDetail';
import { ReferenceChip } from './ReferenceChip';

interface Props {
  label: string;
  target: EntityType;
  many: boolean;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  /**
   * What the picker is for: `link` (an editor's field; a search that finds nothing says how to add an
   * entry), `filter` (live entries only), or `audit` (also entries in the trash and deleted permanently,
   * from their trail, each marked: the audit's Entry filter).
   */
  purpose?: 'link' | 'filter' | 'audit';
}

type Option = Outputs['entities']['search'][number] | Outputs['audit']['entries'][number];
/** Where an offered entry is, in the words an option and a chip add to its title. */
const STATE_WORDS = { trash: 'in the trash', deleted: 'deleted permanently' } as const;
const stateOf = (option: Option | undefined) => (option && 'state' in option ? option.state : 'live');

/**
 * Picks entries of another type by searching their titles and aliases.
 * A combobox: type to search, arrow keys to move, Enter to pick; picked entries are chips.
 * A query the search cannot take (too long), a failed search and a search that finds nothing are said in
 * words below the box.
 */
export function ReferencePicker(props: Props) {
  const trpc = useTRPC();
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Options picked here, by id: an entry deleted permanently has no document left to name its chip.
  const [pickedOptions, setPickedOptions] = useState<Record<string, Option>>({});
  const purpose = props.purpose ?? 'link';
  const mayCreate = usePermission('createEntries').allowed;
  const mayRestore = usePermission('restoreEntries').allowed;
  const go = useUi((s) => s.go);
  const trimmed = query.trim();
  const tooLong = searchQueryProblem(trimmed);
  const asked = open && trimmed.length > 0 && !tooLong;
  const live = useQuery({
    ...trpc.entities.search.queryOptions({ query: trimmed, types: [props.target], limit: 20 }),
    enabled: asked && purpose !== 'audit',
    placeholderData: keepPreviousData,
  });
  const audited = useQuery({
    ...trpc.audit.entries.queryOptions({ type: props.target, query: trimmed, limit: 20 }),
    enabled: asked && purpose === 'audit',
    placeholderData: keepPreviousData,
  });
  const hits = purpose === 'audit' ? audited : live;
  const { label, pluralLabel } = entities[props.target];
  const plural = pluralLabel.toLowerCase();
  const failed = trimmed && !tooLong && hits.error ? toShownError(hits.error).message : null;
  const picked = useQueries({
    queries: props.value.map((entryId) => ({
      ...trpc.entities.get.queryOptions({ type: props.target, id: entryId }),
      staleTime: 60_000,
    })),
  });
  const found: Option[] = (trimmed && !tooLong && !failed ? hits.data : undefined) ?? [];
  const options = found.filter((hit) => !props.value.includes(hit.id));
  // Matches that share a name (a sync kept two "Rex") say what tells them apart, so the right one is linked.
  const namesakes = tellNamesakesApart(options, hitAsRow);
  const answered = trimmed.length > 0 && !tooLong && !failed && hits.isSuccess && !hits.isPlaceholderData;
  const nothing = asked && answered && options.length === 0;
  /*
   * An editor's field that finds nothing live looks once in the trash (a few hits, only then), so it does not
   * invite a duplicate of an entry that is in the trash. Not tied to the open list: the words and the Trash
   * button stay while the focus moves to that button.
   */
  const lookInTrash = purpose === 'link' && answered && found.length === 0;
  const trashed = useQuery({
    ...trpc.entities.search.queryOptions({ query: trimmed, types: [props.target], includeTrash: true, limit: 3 }),
    enabled: lookInTrash,
  });
  const inTrash = lookInTrash && trashed.isSuccess ? trashed.data.filter((hit) => hit.inTrash) : [];
  const nothingFound =
    nothing || inTrash.length > 0 ? noMatchWords(label.toLowerCase(), trimmed, found.length > 0) : null;
  const nothingSaid =
    nothingFound === null || (lookInTrash && trashed.isPending)
      ? null
      : inTrash.length > 0
        ? `${nothingFound} ${inTrashWords(
            inTrash.map((hit) => hit.title || '(untitled)'),
            mayRestore,
          )}`
        : purpose === 'audit' && found.length === 0
          ? `${nothingFound} Entries in the trash and deleted permanently are searched too.`
          : purpose === 'link' && mayCreate
            ? `${nothingFound} To link a new ${label.toLowerCase()}, first create one under ${pluralLabel}, then search again here.`
            : nothingFound;
  const described = [
    tooLong || failed ? `${id}-problem` : '',
    nothingSaid ? `${id}-none` : '',
    props.error ? `${id}-error` : '',
  ].filter(Boolean);

  const pick = (entryId: string) => {
    const option = options.find((hit) => hit.id === entryId);
    if (option) setPickedOptions((known) => ({ ...known, [entryId]: option }));
    props.onChange(props.many ? [...props.value, entryId] : [entryId]);
    setQuery('');
    setActive(0);
  };
  const titleAt = (i: number) => {
    const doc = picked[i]?.data as Record<string, unknown> | undefined;
    if (picked[i]?.error) return pickedOptions[props.value[i]!]?.title ?? '(missing entry)';
    return doc ? String(doc[entities[props.target].titleField] ?? '') : '…';
  };

  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{props.label}</label>
      <div className="chips">
        {props.value.map((entryId, i) => (
          <ReferenceChip
            key={entryId}
            type={props.target}
            id={entryId}
            title={titleAt(i)}
            inTrash={Boolean((picked[i]?.data as { deletedAt?: unknown } | undefined)?.deletedAt)}
            gone={Boolean(picked[i]?.error) && stateOf(pickedOptions[entryId]) === 'deleted'}
            offerRestore={purpose === 'link'}
            fieldLabel={props.label}
            onRemove={() => props.onChange(props.value.filter((v) => v !== entryId))}
          />
        ))}
        <input
          ref={input}
          id={`${id}-input`}
          role="combobox"
          aria-expanded={open && options.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={options[active] ? `${id}-opt-${active}` : undefined}
          aria-describedby={described.length > 0 ? described.join(' ') : undefined}
          placeholder={`Search ${plural}…`}
          value={query}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') setActive((a) => Math.min(a + 1, options.length - 1));
            else if (event.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (event.key === 'Enter' && options[active]) pick(options[active].id);
            else if (event.key === 'Backspace' && !query && props.value.length > 0) {
              props.onChange(props.value.slice(0, -1));
            } else return;
            event.preventDefault();
          }}
        />
      </div>
      {open && options.length > 0 ? (
        <ul className="picker-options" role="listbox" id={`${id}-list`} aria-label={`${props.label} matches`}>
          {options.map((hit, i) => (
            <li
              key={hit.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(hit.id);
              }}
            >
              <HitText hit={hit} wrap={[' (', ')']} />
              <NamesakeDetail detail={namesakes.get(hit.id)} />
              <StateNote option={hit} />
            </li>
          ))}
        </ul>
      ) : null}
      {tooLong ? (
        <span id={`${id}-problem`} role="alert" className="field-error">
          {tooLong}
        </span>
      ) : failed ? (
        <span id={`${id}-problem`} role="alert" className="field-error">
          Searching {plural} failed. {failed}{' '}
          <button
            type="button"
            className="btn"
            // The box keeps the focus (a click would close the matches as it blurs).
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              void hits.refetch();
              input.current?.focus();
            }}
          >
            Try again
          </button>
        </span>
      ) : null}
      {/* NOTE: always in the page and polite, so a screen reader reads what it comes to say (a live
          region added together with its words is often not announced); a status role would also
          make the form's own "Saved." status ambiguous. */}
      <span id={`${id}-none`} className="field-hint" aria-live="polite" aria-atomic="true">
        {nothingSaid}
      </span>
      {inTrash.length > 0 && mayRestore ? (
        <button
          type="button"
          className="btn"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => go('trash')}
        >
          Open the Trash
        </button>
      ) : null}
      {props.error ? (
        <span id={`${id}-error`} className="field-error">
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

/** `No dog matches "rex".`, or `No other dog …` when every match is picked already. */
function noMatchWords(label: string, query: string, allPicked: boolean): string {
  return `No ${allPicked ? 'other ' : ''}${label} matches "${query}".`;
}

/**
 * Where the entries a search found only in the trash are, and how to link one: restore it first (the trash
 * holds it; a new one would be a duplicate), or ask someone who may.
 */
function inTrashWords(titles: string[], mayRestore: boolean): string {
  const one = titles.length === 1;
  const names = one ? titles[0]! : `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]!}`;
  const how = mayRestore
    ? `To link ${one ? 'it' : 'one'}, restore it from the Trash first, then search again here.`
    : `To link ${one ? 'it' : 'one'}, ask someone who may restore entries to restore it, then search again here.`;
  return `${names} ${one ? 'is' : 'are'} in the trash. ${how}`;
}

/** Says where an offered entry is when it is not live (the audit's Entry filter offers every one). */
function StateNote(props: { option: Option }) {
  const state = stateOf(props.option);
  return state === 'live' ? null : <span className="muted"> — {STATE_WORDS[state]}</span>;
}
