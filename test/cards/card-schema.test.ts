import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { VIEW_KINDS } from '../../src/cards/present-view.js';
import { VERBS } from '../../src/cards/views.js';
import { executeActions } from './card-actions.js';
import { MAX_CARD_BYTES, cardBytes, schemaErrors } from './card-schema.js';
import { ALL_VIEWS, AS_OF, VAULT, manyJobs, manyVms } from './fixtures.js';

describe('every Adaptive Card the bot sends', () => {
  it('is checked by a validator that does reject a broken card', () => {
    expect(
      schemaErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ok' }] }),
    ).toEqual([]);
    expect(schemaErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] })).not.toEqual(
      [],
    );
    expect(
      schemaErrors({
        type: 'AdaptiveCard',
        version: '1.5',
        actions: [{ type: 'Action.Execute', $when: 'x' }],
      }),
    ).not.toEqual([]);
  });

  it('has fixtures for every view kind', () => {
    expect(new Set(ALL_VIEWS.map((v) => v.kind))).toEqual(new Set(VIEW_KINDS));
    expect(VIEW_KINDS).toHaveLength(17);
  });

  it.each(ALL_VIEWS.map((v, i) => [`${v.kind} #${i}`, v] as const))(
    '%s: validates against the 1.5 schema, is small, and has nothing left unexpanded',
    (_name, view) => {
      const card = renderAdaptiveCard(view);
      expect(schemaErrors(card)).toEqual([]);
      expect(card).toMatchObject({
        type: 'AdaptiveCard',
        version: '1.5',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      });
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      // The engine leaves `${x}` in place when the data lacks x: every presenter field must be set.
      expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when/);
      for (const a of executeActions(card)) expect(VERBS).toContain(a.verb);
    },
  );

  it('stays valid and under the size cap for a 100-job list and a 200-VM list', () => {
    const jobs = renderAdaptiveCard({
      kind: 'job-list',
      vaultName: VAULT.name,
      description: 'All jobs',
      jobs: manyJobs(100),
      asOf: AS_OF,
    });
    const vms = renderAdaptiveCard({ kind: 'vm-list', vault: VAULT, vms: manyVms(200) });
    for (const card of [jobs, vms]) {
      expect(schemaErrors(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    }
  });

  it('renders the same view to the same card every time (templates are shared, never changed)', () => {
    const first = ALL_VIEWS.map((v) => JSON.stringify(renderAdaptiveCard(v)));
    const again = ALL_VIEWS.map((v) => JSON.stringify(renderAdaptiveCard(v)));
    expect(again).toEqual(first);
  });
});
