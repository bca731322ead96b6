/**
 * What the lane pool asks of this process's heap: while lane processes compute, this process only
 * reads the source and keeps the results, so its young generation is held at its size; closing the
 * pool lets it grow again for the report step, which this process computes alone. One lane (this
 * process) computes and leaves the heap to V8.
 */
import { collectGarbage, youngGenerationGrowth } from '../v8-heap';
import { lanePool } from './pool';

jest.mock('../v8-heap', () => ({ youngGenerationGrowth: jest.fn(), collectGarbage: jest.fn() }));

const growth = jest.mocked(youngGenerationGrowth);

describe("the lane pool and this process's heap", () => {
  beforeEach(() => growth.mockClear());

  it('holds the young generation while lane processes run and lets it grow again on close', async () => {
    const pool = lanePool(2, {});
    expect(growth.mock.calls).toEqual([[false]]);
    await pool.close();
    expect(growth.mock.calls).toEqual([[false], [true]]);
    await pool.close();
    expect(growth).toHaveBeenCalledTimes(2);
  });

  it('leaves the heap to V8 when this process is the only lane', async () => {
    const pool = lanePool(1, {});
    await pool.close();
    expect(growth).not.toHaveBeenCalled();
    expect(collectGarbage).not.toHaveBeenCalled();
  });
});
