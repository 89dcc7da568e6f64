import { describe } from 'vitest';
import { fastPathEqualsZod } from './fastPathProperty.ts';

describe('positions: the compiled fast path against zod', () => {
  fastPathEqualsZod('VehiclePositionReported');
});
