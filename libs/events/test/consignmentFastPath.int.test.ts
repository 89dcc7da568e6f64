import { describe } from 'vitest';
import { consignmentEventTypes } from '../src/index.ts';
import { fastPathEqualsZod } from './fastPathProperty.ts';

describe('consignment events: the compiled fast path against zod', () => {
  for (const type of consignmentEventTypes) describe(type, () => fastPathEqualsZod(type));
});
