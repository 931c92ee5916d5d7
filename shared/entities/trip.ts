import { isoDate, optionalText, requiredName } from '../validators';
import { defineEntity } from './define-entity';

export const trip = defineEntity({
  type: 'trip',
  label: 'Trip',
  pluralLabel: 'Trips',
  fields: {
    name: requiredName('Name'),
    location: optionalText('Location', 200),
    startDate: isoDate('Start date'),
    endDate: isoDate('End date'),
  },
  titleField: 'name',
  searchFields: ['name', 'location'],
  listColumns: [
    { field: 'name', label: 'Name' },
    { field: 'location', label: 'Location' },
    { field: 'startDate', label: 'Start' },
  ],
  references: [],
  uniqueFields: [],
  rules: [
    {
      field: 'endDate',
      compares: ['startDate', 'endDate'],
      message: 'End date cannot be before the start date.',
      // ISO dates compare correctly as strings.
      holds: ({ startDate, endDate }) => !startDate || !endDate || endDate >= startDate,
    },
  ],
});
