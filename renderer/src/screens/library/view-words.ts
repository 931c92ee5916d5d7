import { entities, type EntityType } from '../../../../shared/entities';
import type { Outputs } from '../../api/types';
import type { FilterValue, TrashState } from '../../state/list-store';
import { labelOfColumn } from './columns';

export type ShownView = Outputs['views']['list'][number];

/** The Trash box's choices, as the Filters name them (and a saved view's question repeats). */
export const TRASH_CHOICES: { value: TrashState; label: string }[] = [
  { value: 'live', label: 'Not in the trash' },
  { value: 'trash', label: 'In the trash' },
  { value: 'all', label: 'Both' },
];

/** One thing a saved view holds, in words: "Filters" → "Breed contains “beagle”". */
export interface ViewLine {
  label: string;
  words: string;
}

/**
 * What a saved view holds, line by line, in the words of the list's own controls (the Filters' labels,
 * the column headers). `titleOf` names a linked entry by its id.
 */
export function describeView(view: ShownView, titleOf: (id: string) => string): ViewLine[] {
  const { type } = view;
  const filters = Object.entries(view.filters).map(([field, value]) => filterWords(type, field, value, titleOf));
  const trash = TRASH_CHOICES.find((choice) => choice.value === view.trash)?.label ?? view.trash;
  const firstColumn = entities[type].listColumns[0]!.field as string;
  const sort = view.sort
    ? `${labelOfColumn(type, view.sort.field)}, ${view.sort.direction === 'asc' ? 'ascending' : 'descending'}`
    : `The list’s own order (${labelOfColumn(type, firstColumn)}, ascending)`;
  return [
    { label: 'Name', words: view.name },
    { label: 'Trash', words: trash },
    { label: 'Filters', words: filters.length > 0 ? filters.join('; ') : 'None' },
    { label: 'Sort', words: sort },
    { label: 'Columns', words: view.columns.map((column) => labelOfColumn(type, column)).join(', ') },
  ];
}

/** The ids of the entries a view's filters link to, by the type they are of (for their names). */
export function linkedIds(views: readonly ShownView[]): { type: EntityType; ids: string[] }[] {
  const byType = new Map<EntityType, Set<string>>();
  for (const view of views) {
    for (const reference of entities[view.type].references) {
      const value = view.filters[reference.field];
      if (!Array.isArray(value)) continue;
      const target = reference.target as EntityType;
      const ids = byType.get(target) ?? new Set<string>();
      for (const id of value) ids.add(String(id));
      byType.set(target, ids);
    }
  }
  return [...byType].map(([type, ids]) => ({ type, ids: [...ids] }));
}

/** One filter as its box in the Filters reads: "With dog: Biscuit", "Published from 2025 to 2025". */
function filterWords(type: EntityType, field: string, value: FilterValue, titleOf: (id: string) => string): string {
  const label = labelOfColumn(type, field);
  const reference = entities[type].references.find((r) => r.field === field);
  if (Array.isArray(value)) {
    const names = value.map((item) => (reference ? titleOf(String(item)) : String(item)));
    const target = reference ? entities[reference.target as EntityType].label.toLowerCase() : null;
    return `${target ? `With ${target}` : label}: ${names.join(', ')}`;
  }
  if (value !== null && typeof value === 'object') {
    if ('contains' in value) return `${label} contains “${value.contains}”`;
    const ends = [
      ...(value.from === undefined ? [] : [`from ${value.from}`]),
      ...(value.to === undefined ? [] : [`to ${value.to}`]),
    ];
    return `${label} ${ends.join(' ')}`;
  }
  return `${label}: ${String(value)}`;
}
