import { aliases, birthYear, optionalText, requiredName } from '../validators';
import { defineEntity } from './define-entity';
import { photoFields } from './photo-fields';

export const dog = defineEntity({
  type: 'dog',
  label: 'Dog',
  pluralLabel: 'Dogs',
  fields: {
    name: requiredName('Name'),
    breed: optionalText('Breed', 200),
    color: optionalText('Color', 100),
    birthYear,
    aliases,
    ...photoFields,
  },
  titleField: 'name',
  searchFields: ['name', 'aliases', 'breed', 'color'],
  listColumns: [
    { field: 'name', label: 'Name' },
    { field: 'breed', label: 'Breed' },
    { field: 'birthYear', label: 'Born' },
  ],
  references: [],
  uniqueFields: ['name'],
  rules: [],
});
