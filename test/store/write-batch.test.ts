import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/store/write-batch.js';

describe('WriteBatch', () => {
  it('makes the writes asked for in one turn one write, and later ones another', async () => {
    const writes: number[][] = [];
    const batch = new WriteBatch<number>(async (items) => {
      writes.push(items);
    });
    await Promise.all([1, 2, 3].map((n) => batch.add(n)));
    await batch.add(4);
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('fails every write of a failed statement, and only those', async () => {
    let fail = true;
    const batch = new WriteBatch<number>(async () => {
      if (fail) throw new Error('disk full');
    });
    const results = await Promise.allSettled([batch.add(1), batch.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batch.add(3)).resolves.toBeUndefined();
  });

  it('splits a very large burst into statements of at most 200', async () => {
    const sizes: number[] = [];
    const batch = new WriteBatch<number>(async (items) => {
      sizes.push(items.length);
    });
    await Promise.all(Array.from({ length: 450 }, (_, i) => batch.add(i)));
    expect(sizes).toEqual([200, 200, 50]);
  });
});
