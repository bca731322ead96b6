import { availableParallelism } from 'node:os';
import { threadPoolSize } from './thread-pool';

describe('threadPoolSize', () => {
  it('gives one thread a core, at least two and at most four', () => {
    expect([1, 2, 3, 4, 8, 64].map(threadPoolSize)).toEqual([2, 2, 3, 4, 4, 4]);
  });
});

describe('importing thread-pool', () => {
  const before = process.env.UV_THREADPOOL_SIZE;
  afterEach(() => {
    if (before === undefined) delete process.env.UV_THREADPOOL_SIZE;
    else process.env.UV_THREADPOOL_SIZE = before;
  });

  function load(): void {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('./thread-pool');
    });
  }

  it('sizes the pool for this machine when the operator has not', () => {
    delete process.env.UV_THREADPOOL_SIZE;
    load();
    expect(process.env.UV_THREADPOOL_SIZE).toBe(String(threadPoolSize(availableParallelism())));
  });

  it("keeps the operator's UV_THREADPOOL_SIZE", () => {
    process.env.UV_THREADPOOL_SIZE = '7';
    load();
    expect(process.env.UV_THREADPOOL_SIZE).toBe('7');
  });
});
