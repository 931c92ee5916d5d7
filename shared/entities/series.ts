import { optionalText, requiredName } from '../validators';
import { defineEntity } from './define-entity';

export const series = defineEntity({
  type: 'series',
  label: 'Series',
  pluralLabel: 'Series',
  fields: {
    name: requiredName('Name'),
    description: optionalText('Description'),
  },
  titleField: 'name',
  searchFields: ['name', 'description'],
  listColumns: [{ field: 'name', label: 'Name' }],
  references: [],
  uniqueFields: ['name'],
  rules: [],
});
