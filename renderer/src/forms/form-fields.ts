import { z } from 'zod';
import { entities, type EntityType } from '../../../shared/entities';
import { photoFields } from '../../../shared/entities/photo-fields';
import { fieldLabel } from '../../../shared/readable';
import { ISO_DATE, MAX_NAME_LENGTH } from '../../../shared/validators';

export { humanize } from '../../../shared/readable';

/** How a form shows one field; derived from the registry, never listed per entity. */
export type FieldKind =
  | { kind: 'text'; multiline: boolean; maxLength: number | undefined }
  | { kind: 'date' }
  | { kind: 'integer'; min: number | undefined }
  | { kind: 'boolean' }
  | { kind: 'chips' }
  | { kind: 'reference'; target: EntityType; many: boolean }
  | { kind: 'photo' };

export interface FormField {
  name: string;
  label: string;
  required: boolean;
  control: FieldKind;
}

/** Fields shown together by the photo control (URL, file and the visibility switch). */
export const PHOTO_FIELDS = Object.keys(photoFields);

type JsonProperty = {
  type?: string;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  items?: JsonProperty;
};

const cache = new Map<EntityType, FormField[]>();

/** The form of one entity type, in the order its fields are declared. */
export function formFieldsOf(type: EntityType): FormField[] {
  const cached = cache.get(type);
  if (cached) return cached;
  const descriptor = entities[type];
  const json = z.toJSONSchema(descriptor.fieldsSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, JsonProperty>;
    required?: string[];
  };
  const fields: FormField[] = [];
  for (const [name, property] of Object.entries(json.properties)) {
    if (PHOTO_FIELDS.includes(name)) {
      if (name === PHOTO_FIELDS[0])
        fields.push({ name: 'photo', label: 'Photo', required: false, control: { kind: 'photo' } });
      continue;
    }
    const reference = descriptor.references.find((r) => r.field === name);
    const control: FieldKind = reference
      ? { kind: 'reference', target: reference.target as EntityType, many: reference.many }
      : controlFor(property);
    const label = fieldLabel(type, name);
    fields.push({ name, label, required: json.required?.includes(name) ?? false, control });
  }
  cache.set(type, fields);
  return fields;
}

function controlFor(property: JsonProperty): FieldKind {
  if (property.type === 'boolean') return { kind: 'boolean' };
  if (property.type === 'integer' || property.type === 'number') {
    return {
      kind: 'integer',
      min: property.minimum ?? (property.exclusiveMinimum !== undefined ? property.exclusiveMinimum + 1 : undefined),
    };
  }
  if (property.type === 'array') return { kind: 'chips' };
  if (property.pattern === ISO_DATE.source) return { kind: 'date' };
  return { kind: 'text', multiline: (property.maxLength ?? 0) > MAX_NAME_LENGTH, maxLength: property.maxLength };
}

/** A field's label, from the entity descriptors (list columns keep their own, shorter labels). */
export function labelOf(type: EntityType, field: string): string {
  return fieldLabel(type, field);
}
