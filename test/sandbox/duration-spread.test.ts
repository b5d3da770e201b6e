import { afterEach, describe, expect, it } from 'vitest';
import type { DurationSpread } from '../../src/sandbox/duration-spread.js';
import { drawDurations } from '../../src/sandbox/duration-spread.js';
import type { SandboxClient } from './sandbox-client.js';
import { openSandbox } from './sandbox-client.js';

const MIN = 60_000;
const SPREAD: DurationSpread = { seed: 7, snapshotMinutes: [2, 120], transferMinutes: [10, 480] };

describe('seeded job durations', () => {
  let c: SandboxClient | undefined;
  afterEach(() => c?.close());

  /** A fresh sandbox's estate: every VM of a fleet backed up once, as `vm:snapshot ms:job ms`. */
  async function estate(spread: DurationSpread, reversed = false): Promise<string[]> {
    c = await openSandbox();
    const sb = c.sb;
    const q = `seed=${spread.seed}&snapshotMinutes=${spread.snapshotMinutes.join('-')}&transferMinutes=${spread.transferMinutes.join('-')}`;
    expect((await c.call('POST', `/_sandbox/durations?${q}`)).status).toBe(200);
    const fleet = sb.addFleet({ prefix: 'spread', vms: 40, vaults: 2 });
    // The order the backups start in does not change a job's durations.
    const order = reversed ? [...fleet].reverse() : fleet;
    const ids = order.map((f) => sb.startScheduledBackup(f.vm));
    sb.clock.advance(10 * 60 * MIN);
    const out = ids.map((id) => {
      const j = sb.world.jobs.find((x) => x.id === id)!;
      return `${j.vmName}:${j.tasks!.snapshot.endMs! - j.startMs}:${j.endMs! - j.startMs}`;
    });
    await c.close();
    c = undefined;
    return out.sort();
  }

  it('builds the same estate from the same seed, through the control route', async () => {
    const first = await estate({ ...SPREAD, seed: 4 });
    const again = await estate({ ...SPREAD, seed: 4 }, true);
    expect(again).toEqual(first);
    expect(new Set(first.map((e) => e.split(':')[1])).size).toBeGreaterThan(30);
    const other = await estate({ ...SPREAD, seed: 5 });
    expect(other).not.toEqual(first);
  });

  it('refuses a spread without bounds', async () => {
    c = await openSandbox();
    const bad = await c.call('POST', '/_sandbox/durations?seed=1&snapshotMinutes=0-5');
    expect(bad.status).toBe(400);
  });

  it('gives the same durations for the same seed, VM and backup, and others for another seed', () => {
    const a = Array.from({ length: 200 }, (_, i) => drawDurations(SPREAD, `vm-${i}`, 0));
    const again = Array.from({ length: 200 }, (_, i) => drawDurations(SPREAD, `VM-${i}`, 0));
    const other = Array.from({ length: 200 }, (_, i) => drawDurations({ ...SPREAD, seed: 8 }, `vm-${i}`, 0));
    expect(again).toEqual(a);
    expect(other).not.toEqual(a);
    // The second backup of a VM is a draw of its own.
    expect(drawDurations(SPREAD, 'vm-0', 1)).not.toEqual(a[0]);
  });

  it('spreads snapshots and transfers log-uniformly within their bounds', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => drawDurations(SPREAD, `vm-${i}`, 0));
    const snaps = draws.map((d) => d.snapshotMs / MIN);
    const transfers = draws.map((d) => d.transferMs / MIN);
    expect(Math.min(...snaps)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...snaps)).toBeLessThanOrEqual(120);
    expect(Math.min(...transfers)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...transfers)).toBeLessThanOrEqual(480);
    // Log-uniform: as many below the geometric midpoint (√(2·120) ≈ 15.5 min) as above it.
    const below = snaps.filter((m) => m < Math.sqrt(2 * 120)).length / snaps.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
  });
});
