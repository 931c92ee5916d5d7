import Papa from 'papaparse';
import { z } from 'zod';
import { entities, type EntityType } from '../../shared/entities/registry';
import { fieldLabel, referenceColumns, referenceOf } from '../../shared/readable';
import { generateCatalog } from '../../shared/sample';
import { csvColumns, exportRecord, fieldKinds, LIST_SEPARATOR, toCells } from './row-format';

/** One column an import reads, with what it accepts in words. */
export interface ColumnRule {
  column: string;
  label: string;
  required: boolean;
  rule: string;
}

/** A starting file for one type: the header row and one example row, plus the rules of each column. */
export interface ImportTemplate {
  fileName: string;
  content: string;
  columns: ColumnRule[];
}

type JsonProperty = { minimum?: number; exclusiveMinimum?: number; maxLength?: number; maxItems?: number };

/** The columns an import reads (the id column is not one: imported rows are new entries). */
export function importColumns(type: EntityType): string[] {
  return csvColumns(type).filter((column) => column !== 'id');
}

/** Every import column of a type with its rule, derived from the entity definition and its schema. */
export function columnRules(type: EntityType): ColumnRule[] {
  const descriptor = entities[type];
  const json = z.toJSONSchema(descriptor.fieldsSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, JsonProperty>;
    required?: string[];
  };
  const kinds = fieldKinds(type);
  const plural = (t: EntityType) => entities[t].pluralLabel.toLowerCase();
  const rules: ColumnRule[] = [];
  for (const field of Object.keys(descriptor.fields)) {
    const required = json.required?.includes(field) ?? false;
    const reference = referenceOf(type, field);
    if (reference) {
      const target = reference.target as EntityType;
      const { names, ids } = referenceColumns(reference);
      const matched = `matched ignoring case among ${plural(target)} not in the trash`;
      rules.push({
        column: names,
        label: fieldLabel(type, field),
        required: false,
        rule: reference.many
          ? `Names of ${plural(target)}, separated by "${LIST_SEPARATOR}", ${matched}.`
          : `The name of a ${entities[target].label.toLowerCase()}, ${matched}.`,
      });
      rules.push({
        column: ids,
        label: `${fieldLabel(type, field)} (ids)`,
        required: false,
        rule: reference.many
          ? `Or their ids, separated by "${LIST_SEPARATOR}" (a name that is not unique needs its id).`
          : 'Or its id (a name that is not unique needs its id).',
      });
      continue;
    }
    const property = json.properties[field] ?? {};
    let rule = ruleOf(descriptor.fields[field as keyof typeof descriptor.fields] as z.ZodType, kinds[field], property);
    if ((descriptor.uniqueFields as string[]).includes(field))
      rule += ` Unique among ${descriptor.pluralLabel.toLowerCase()} not in the trash (case ignored).`;
    rules.push({ column: field, label: fieldLabel(type, field), required, rule });
  }
  return rules;
}

/**
 * What a cell accepts. Text fields with a format say it in their validator's own message
 * (an obviously wrong value is checked against the schema), so the rule and the error agree.
 */
function ruleOf(schema: z.ZodType, kind: string | undefined, property: JsonProperty): string {
  if (kind === 'boolean') return 'yes or no (also true/false or 1/0); empty means the default.';
  if (kind === 'list')
    return `Names separated by "${LIST_SEPARATOR}"${property.maxItems ? `, at most ${property.maxItems}` : ''}.`;
  if (kind === 'number') {
    const min =
      property.minimum ?? (property.exclusiveMinimum !== undefined ? property.exclusiveMinimum + 1 : undefined);
    return `A whole number${min !== undefined ? `, ${min} or more` : ''}.`;
  }
  const probe = schema.safeParse('?');
  if (!probe.success) return probe.error.issues[0]?.message ?? 'Text.';
  return property.maxLength ? `Text, at most ${property.maxLength} characters.` : 'Text.';
}

/** The template of a type: its import columns and one realistic example row from the sample catalog. */
export function importTemplate(type: EntityType): ImportTemplate {
  const catalog = generateCatalog({ video: 20, person: 8, dog: 8, trip: 4, series: 3 }, 7);
  const titles: Record<string, string> = {};
  for (const t of Object.keys(catalog) as EntityType[])
    for (const document of catalog[t]) titles[document.id] = String(document[entities[t].titleField as never]);
  // The example fills as many columns as the sample offers.
  const filled = (document: object) => Object.values(document).filter((v) => v !== undefined && v !== '').length;
  const example = [...catalog[type]].sort((a, b) => filled(b) - filled(a))[0]!;
  const columns = importColumns(type);
  const record = exportRecord(type, example as never, titles);
  // Links by name only: the sample's ids exist in no catalog.
  for (const reference of entities[type].references) record[referenceColumns(reference).ids] = null;
  const content = Papa.unparse({ fields: columns, data: [toCells(columns, record)] }) + '\r\n';
  return { fileName: `${entities[type].pluralLabel.toLowerCase()}-template.csv`, content, columns: columnRules(type) };
}
