import { aliases, optionalText, requiredName } from '../validators';
import { defineEntity } from './define-entity';
import { photoFields } from './photo-fields';

export const person = defineEntity({
  type: 'person',
  label: 'Person',
  pluralLabel: 'People',
  fields: {
    name: requiredName('Name'),
    bio: optionalText('Bio'),
    aliases,
    ...photoFields,
  },
  titleField: 'name',
  searchFields: ['name', 'aliases', 'bio'],
  listColumns: [{ field: 'name', label: 'Name' }],
  references: [],
  uniqueFields: ['name'],
  rules: [],
});
