import {
  duration,
  entityId,
  optionalText,
  positiveInt,
  referenceList,
  requiredName,
  youtubeId,
  isoDate,
} from '../validators';
import { defineEntity } from './define-entity';

export const video = defineEntity({
  type: 'video',
  label: 'Video',
  pluralLabel: 'Videos',
  fields: {
    title: requiredName('Title'),
    youtubeId,
    description: optionalText('Description'),
    duration,
    publishedAt: isoDate('Published date'),
    people: referenceList('People'),
    dogs: referenceList('Dogs'),
    tripId: entityId.optional(),
    seriesId: entityId.optional(),
    episode: positiveInt('Episode'),
  },
  titleField: 'title',
  searchFields: ['title', 'description'],
  listColumns: [
    { field: 'title', label: 'Title' },
    { field: 'publishedAt', label: 'Published' },
    { field: 'duration', label: 'Duration' },
  ],
  references: [
    { field: 'people', target: 'person', many: true },
    { field: 'dogs', target: 'dog', many: true },
    { field: 'tripId', target: 'trip', many: false },
    { field: 'seriesId', target: 'series', many: false },
  ],
  uniqueFields: [],
  rules: [],
});
