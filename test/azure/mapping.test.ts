import { describe, expect, it } from 'vitest';
import { jobFilterTime } from '../../src/azure/job-mapping.js';
import { fromAzurePolicy, toAzurePolicy } from '../../src/azure/policy-mapping.js';
import { validatePolicySpec } from '../../src/domain/index.js';
import type { PolicySpec } from '../../src/domain/index.js';

describe('Azure shapes', () => {
  it("formats job filter times as the service expects ('yyyy-MM-dd hh:mm:ss AM/PM', UTC)", () => {
    expect(jobFilterTime(new Date('2026-11-22T13:00:00Z'))).toBe('2026-11-22 01:00:00 PM');
    expect(jobFilterTime(new Date('2026-11-22T00:05:09Z'))).toBe('2026-11-22 12:05:09 AM');
    expect(jobFilterTime(new Date('2026-11-22T12:30:00Z'))).toBe('2026-11-22 12:30:00 PM');
  });

  it.each<PolicySpec>([
    {
      name: 'ez-hourly',
      kind: 'Enhanced',
      schedule: { frequency: 'Hourly', intervalHours: 6, windowStartTime: '08:00', windowDurationHours: 12 },
      retention: { dailyDays: 30, weeklyWeeks: 12, monthlyMonths: 60, yearlyYears: 10 },
    },
    {
      name: 'std-daily',
      kind: 'Standard',
      schedule: { frequency: 'Daily', time: '22:30' },
      instantRestoreDays: 5,
    },
    {
      name: 'enh-weekly',
      kind: 'Enhanced',
      schedule: { frequency: 'Weekly', days: ['Monday', 'Thursday'], time: '01:00' },
    },
  ])('writes and reads back policy $name unchanged', (spec) => {
    const def = validatePolicySpec(spec);
    const resource = toAzurePolicy(def, 'AzureBackupRG_');
    const read = fromAzurePolicy({ ...resource, id: `/x/${def.name}`, name: def.name });
    expect(read).toMatchObject({ ...def, protectedItemsCount: 0 });
    expect(resource.properties).toMatchObject({ policyType: def.kind === 'Enhanced' ? 'V2' : 'V1' });
    if (def.kind === 'Enhanced') expect(read?.restorePointResourceGroupPrefix).toBe('AzureBackupRG_');
  });
});
