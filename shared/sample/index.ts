export * from './generator';
export { seededRandom, uuidV7From } from './random';
