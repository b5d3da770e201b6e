import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/channels/slack/block-kit-renderer.js';
import { SLACK_LIMITS, renderBlockKit } from '../../src/channels/slack/block-kit-renderer.js';
import type { View } from '../../src/cards/views.js';
import {
  ALL_VIEWS,
  AS_OF,
  OPEN_APPROVAL,
  PORTAL_TABLE,
  VMS,
  job,
  jobView,
  manyJobs,
  manyVms,
} from '../cards/fixtures.js';

/** Every Block Kit message the bot sends stays within Slack's limits. */
function limitsProblems(blocks: Block[]): string[] {
  const problems: string[] = [];
  if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks`);
  const ids = new Set<string>();
  const actionIds = new Set<string>();
  for (const b of blocks) {
    const id = String(b.block_id);
    if (ids.has(id)) problems.push(`duplicate block_id ${id}`);
    ids.add(id);
    const text = (b.text as { text?: string } | undefined)?.text ?? '';
    if (b.type === 'section' && text.length > SLACK_LIMITS.sectionText)
      problems.push(`section of ${text.length} chars`);
    const fields = (b.fields as { text: string }[] | undefined) ?? [];
    if (fields.length > SLACK_LIMITS.fields) problems.push(`${fields.length} fields`);
    for (const f of fields) if (f.text.length > SLACK_LIMITS.fieldText) problems.push('long field');
    const buttons = [
      ...((b.elements as Block[] | undefined) ?? []),
      ...(b.accessory ? [b.accessory as Block] : []),
    ].filter((e) => e.type === 'button');
    for (const btn of buttons) {
      const aid = String(btn.action_id);
      if (actionIds.has(aid)) problems.push(`duplicate action_id ${aid}`);
      actionIds.add(aid);
      if (typeof btn.value === 'string' && btn.value.length > SLACK_LIMITS.buttonValue)
        problems.push('long button value');
      if (((btn.text as { text: string }).text ?? '').length > SLACK_LIMITS.buttonText)
        problems.push('long button text');
    }
  }
  return problems;
}

const buttons = (blocks: Block[]) =>
  blocks
    .flatMap((b) => [
      ...((b.elements as Block[] | undefined) ?? []),
      ...(b.accessory ? [b.accessory as Block] : []),
    ])
    .filter((e) => e.type === 'button');
const all = (blocks: Block[]) => JSON.stringify(blocks);

describe('Block Kit renderer', () => {
  it.each(ALL_VIEWS.map((v, i) => [`${i} ${v.kind}`, v] as const))(
    '%s stays within Slack limits',
    (_name, view) => {
      const msg = renderBlockKit(view);
      expect(limitsProblems(msg.blocks)).toEqual([]);
      expect(msg.text.length).toBeGreaterThan(0);
      expect(msg.blocks[0]?.type).toBe('header');
    },
  );

  it.each(PORTAL_TABLE)('job: snapshot %s + transfer %s → %s', (snapshot, transfer, _status, label) => {
    const text = all(renderBlockKit(jobView(job(snapshot, transfer))).blocks);
    expect(text).toContain(label);
    expect(text).toContain('Take Snapshot');
    expect(text).toContain('Transfer data to vault');
  });

  it('says how many jobs and VMs were left out of long lists', () => {
    const jobs = renderBlockKit({
      kind: 'job-list',
      vaultName: 'v',
      description: 'All jobs',
      jobs: manyJobs(100),
      asOf: AS_OF,
    });
    expect(all(jobs.blocks)).toContain('and 85 more');
    expect(limitsProblems(jobs.blocks)).toEqual([]);
    const vms = renderBlockKit({
      kind: 'vm-list',
      vault: { name: 'v', location: 'westus' },
      vms: manyVms(200),
    });
    expect(all(vms.blocks)).toContain('and 175 more');
    expect(limitsProblems(vms.blocks)).toEqual([]);
  });

  it('carries dotted verbs in action_id (unique per message) and the data in value', () => {
    const msg = renderBlockKit({ kind: 'vm-list', vault: { name: 'v', location: 'westus' }, vms: VMS });
    const b = buttons(msg.blocks).map((x) => ({
      action: String(x.action_id).split('#')[0],
      value: JSON.parse(String(x.value)) as unknown,
    }));
    expect(b).toEqual([
      { action: 'backup.now', value: { vm: 'myVM' } },
      { action: 'backup.enable', value: { vm: 'web-linux-01' } },
    ]);
  });

  it('renders fresh block ids on every render, so an update replaces the whole message', () => {
    const a = renderBlockKit(jobView(job('InProgress', 'NotStarted')));
    const b = renderBlockKit(jobView(job('InProgress', 'NotStarted')));
    expect(a.blocks[0]!.block_id).not.toBe(b.blocks[0]!.block_id);
  });

  it('escapes Slack control characters in names and messages', () => {
    const view: View = { kind: 'error', title: 'x', code: 'azure.X', message: 'a <b> & <!channel>' };
    expect(all(renderBlockKit(view).blocks)).toContain('a &lt;b&gt; &amp; &lt;!channel&gt;');
  });

  it('escapes the notification text too, so user text cannot ping @channel or disguise a link', () => {
    const hostile = '<!channel> see <https://evil.example|the portal> & more';
    const views: View[] = [
      { kind: 'error', title: 'x', code: 'azure.X', message: hostile },
      { kind: 'message', tone: 'info', title: `Working on "${hostile}"`, text: hostile },
      { kind: 'message', tone: 'info', title: 'Long', text: `${'&'.repeat(2999)}<` },
      ...ALL_VIEWS,
    ];
    for (const view of views) {
      const { text } = renderBlockKit(view);
      expect(text, view.kind).not.toMatch(/[<>]/);
      // Every & starts an entity: nothing Slack would read as a control sequence, none cut in half.
      expect(text.replace(/&(amp|lt|gt);/g, ''), view.kind).not.toContain('&');
      expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(renderBlockKit(views[0]!).text).toContain(
      '&lt;!channel&gt; see &lt;https://evil.example|the portal&gt; &amp; more',
    );
  });

  it('offers Approve (which opens the typed-name modal), Reject and Cancel only on an open approval', () => {
    const open = buttons(renderBlockKit(OPEN_APPROVAL).blocks).map((x) => String(x.action_id).split('#')[0]);
    expect(open).toEqual(['approval.approve', 'approval.reject', 'approval.cancel']);
    expect(buttons(renderBlockKit({ ...OPEN_APPROVAL, state: 'rejected', decidedBy: 'Bob' }).blocks)).toEqual(
      [],
    );
  });
});
