import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import type { View } from '../../src/cards/views.js';
import { ALL_VIEWS, AS_OF, ENHANCED, VMS, job } from './fixtures.js';

// The vendored schema names itself with draft-04's `id`; Ajv 8 reads `$id`.
const { id, ...schemaBody } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/schemas/adaptive-card-1.5.json'), 'utf8'),
) as Record<string, unknown>;
const schema = { ...schemaBody, $id: id };
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
const validate = ajv.compile(schema as object);

/** Teams refuses messages over ~100 KB; a card this bot sends stays far below. */
const MAX_CARD_BYTES = 28 * 1024;

function text(card: unknown): string {
  return JSON.stringify(card);
}

/** Every Action.Execute of a card, wherever it is (actions, ActionSets). */
export function executeActions(
  card: unknown,
): { verb: string; title: string; data: Record<string, unknown> }[] {
  const found: { verb: string; title: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        found.push({
          verb: String(o.verb),
          title: String(o.title),
          data: (o.data ?? {}) as Record<string, unknown>,
        });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

function render(view: View): AdaptiveCard {
  return renderAdaptiveCard(view);
}

describe('Adaptive Cards', () => {
  it('has a validator that rejects a broken card', () => {
    expect(validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] })).toBe(false);
    expect(
      validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ok' }] }),
    ).toBe(true);
  });

  it('covers every view kind', () => {
    const kinds = new Set(ALL_VIEWS.map((v) => v.kind));
    expect(kinds.size).toBe(15);
  });

  it.each(ALL_VIEWS.map((v) => [v.kind, v] as const))(
    '%s validates against the Adaptive Card 1.5 schema and stays small',
    (_kind, view) => {
      const card = render(view);
      const ok = validate(card);
      expect(ok ? [] : validate.errors).toEqual([]);
      expect(card.version).toBe('1.5');
      expect(Buffer.byteLength(text(card))).toBeLessThan(MAX_CARD_BYTES);
      expect(text(card)).not.toMatch(/\$\{/); // no unexpanded template expression left
    },
  );

  it.each([
    ['Completed', 'InProgress', 'InProgress', '⏳ In progress', '✅', '⏳'],
    ['Completed', 'Skipped', 'Completed', '✅ Completed', '✅', '⏭️'],
    ['Completed', 'Completed', 'Completed', '✅ Completed', '✅', '✅'],
    ['Completed', 'Failed', 'CompletedWithWarnings', '⚠️ Completed with warning', '✅', '❌'],
    ['Failed', 'Failed', 'Failed', '❌ Failed', '❌', '❌'],
  ] as const)(
    'job card: snapshot %s + transfer %s → %s',
    (snapshot, transfer, status, label, snapIcon, transferIcon) => {
      const card = text(render({ kind: 'job', job: job(snapshot, transfer, status), asOf: AS_OF }));
      expect(card).toContain(label);
      expect(card).toContain(`"text":"${snapIcon}"`);
      expect(card).toContain(`"text":"${transferIcon}"`);
      expect(card).toContain('Take Snapshot');
      expect(card).toContain('Transfer data to vault');
    },
  );

  it('explains a skipped transfer', () => {
    expect(text(render({ kind: 'job', job: job('Completed', 'Skipped', 'Completed'), asOf: AS_OF }))).toMatch(
      /earlier backup of this VM was still transferring/,
    );
    expect(
      text(render({ kind: 'job', job: job('Completed', 'Completed', 'Completed'), asOf: AS_OF })),
    ).not.toMatch(/still transferring/);
  });

  it('shows how long an in-progress phase has run, from asOf', () => {
    const card = text(
      render({
        kind: 'job',
        job: job('InProgress', 'NotStarted', 'InProgress'),
        asOf: '2026-11-22T10:05:00.000Z',
      }),
    );
    expect(card).toContain('running for 5 min');
    const done = text(
      render({
        kind: 'job',
        job: job('Completed', 'Completed', 'Completed', {
          endTime: '2026-11-22T10:41:00Z',
          durationMs: 41 * 60_000,
        }),
        asOf: AS_OF,
      }),
    );
    expect(done).toContain('took 8 min');
    expect(done).toContain('41 min');
  });

  it('offers refresh only while a job runs, and the portal link when known', () => {
    const running = render({
      kind: 'job',
      job: job('InProgress', 'NotStarted', 'InProgress'),
      asOf: AS_OF,
      portalUrl: 'https://portal.azure.com/x',
    });
    expect(executeActions(running)).toEqual([
      { verb: 'job.refresh', title: 'Refresh', data: { jobId: '3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13' } },
    ]);
    expect(text(running)).toContain('Action.OpenUrl');
    const done = render({ kind: 'job', job: job('Completed', 'Completed', 'Completed'), asOf: AS_OF });
    expect(executeActions(done)).toEqual([]);
    expect(text(done)).not.toContain('Action.OpenUrl');
  });

  it('shows job errors with code and recommendation', () => {
    const failed = job('Failed', 'Failed', 'Failed', {
      errors: [
        {
          code: 'UserErrorGuestAgentStatusUnavailable',
          message: 'VM Agent unable to communicate.',
          recommendations: ['Update the agent.'],
        },
      ],
    });
    const card = text(render({ kind: 'job', job: failed, asOf: AS_OF }));
    expect(card).toContain('UserErrorGuestAgentStatusUnavailable');
    expect(card).toContain('Update the agent.');
  });

  it('puts the right buttons on VMs: back up the protected, enable the eligible', () => {
    const actions = executeActions(
      render({ kind: 'vm-list', vault: { name: 'rsv-westus', location: 'westus' }, vms: VMS }),
    );
    expect(actions).toEqual([
      { verb: 'backup.now', title: 'Back up now', data: { vm: 'myVM' } },
      { verb: 'backup.enable', title: 'Enable backup', data: { vm: 'web-linux-01' } },
    ]);
    const card = text(
      render({ kind: 'vm-list', vault: { name: 'rsv-westus', location: 'westus' }, vms: VMS }),
    );
    expect(card).toContain('Not eligible: In region eastus');
    expect(card).toContain('Extended Zone losangeles');
  });

  it('caps long lists and says how many were left out', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...VMS[0]!, name: `vm-${i}` }));
    const card = render({ kind: 'vm-list', vault: { name: 'v', location: 'westus' }, vms: many });
    expect(text(card)).toContain('and 175 more');
    expect(Buffer.byteLength(text(card))).toBeLessThan(MAX_CARD_BYTES);
    const jobs = Array.from({ length: 100 }, () => job('Completed', 'Completed', 'Completed'));
    const list = render({ kind: 'job-list', vaultName: 'v', description: 'All jobs', jobs, asOf: AS_OF });
    expect(text(list)).toContain('and 85 more');
    expect(executeActions(list)).toHaveLength(3);
  });

  it('turns did-you-mean suggestions into buttons that run them', () => {
    const card = render(ALL_VIEWS.find((v) => v.kind === 'error')!);
    expect(executeActions(card)).toEqual([
      { verb: 'command.run', title: 'backup myVM now', data: { text: 'backup myVM now' } },
    ]);
    expect(text(card)).toContain('validation.unknown_command');
  });

  it('asks an approver for the typed name and shows buttons only while the request is open', () => {
    const open = ALL_VIEWS.find((v) => v.kind === 'approval')!;
    const card = render(open);
    expect(text(card)).toContain('"id":"confirmName"');
    expect(executeActions(card).map((a) => a.verb)).toEqual(['approval.approve', 'approval.reject']);
    const decided = render({
      ...open,
      state: 'rejected',
      decidedBy: 'Bob',
      decidedAt: '2026-11-22T10:10:00Z',
    } as View);
    expect(executeActions(decided)).toEqual([]);
    expect(text(decided)).not.toContain('confirmName');
    expect(text(decided)).toContain('Bob');
  });

  it('renders template-looking names literally', () => {
    const card = text(
      render({
        kind: 'job',
        job: { ...job('InProgress', 'NotStarted', 'InProgress'), vmName: '${evil} {{x}}' },
        asOf: AS_OF,
      }),
    );
    expect(card).toContain('${evil} {{x}}');
  });

  it('describes policies in words', () => {
    const card = text(render({ kind: 'policy', vaultName: 'v', policy: ENHANCED, created: false }));
    expect(card).toContain('every 4 h from 08:00 for 12 h (UTC)');
    expect(card).toContain('Instant restore snapshots: 7 days');
    expect(card).toContain('AzureBackupRG_westus_');
    const list = text(render(ALL_VIEWS.find((v) => v.kind === 'policy-list')!));
    expect(list).toContain('weekly on Mon, Thu at 01:00 (UTC)');
  });
});
