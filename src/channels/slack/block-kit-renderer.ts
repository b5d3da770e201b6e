import { randomBytes } from 'node:crypto';
import { presentJobAlert } from '../../cards/present-alert.js';
import { presentApproval } from '../../cards/present-approval.js';
import {
  presentError,
  presentHelp,
  presentMessage,
  presentResourceGroup,
  presentVault,
  presentVaultList,
} from '../../cards/present-basics.js';
import { presentJob, presentJobList } from '../../cards/present-job.js';
import { presentPolicy, presentPolicyList } from '../../cards/present-policy.js';
import {
  presentEnableBackup,
  presentRecoveryPoints,
  presentStopBackup,
  presentVmList,
} from '../../cards/present-protection.js';
import { presentRestoreOptions } from '../../cards/present-restore.js';
import type { PresentedAction } from '../../cards/card-actions.js';
import type { View, ViewLink } from '../../cards/views.js';

/**
 * Block Kit messages for Slack, from the same views (and the same wording, through the shared
 * presenters) as the Adaptive Cards — not a translation of card JSON. Within Slack's limits:
 * 50 blocks, 3,000 characters a section, 10 fields, button values of 2,000, fresh block ids.
 */
export type Block = Record<string, unknown>;

export interface SlackMessage {
  /** Notification and accessibility text. */
  text: string;
  blocks: Block[];
}

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonValue: 2000,
  buttonText: 75,
};

interface Button {
  verb: string;
  title: string;
  data?: Record<string, string>;
  style?: 'primary' | 'danger';
  url?: string;
}

/** Builds blocks with ids unique to this render, so an update re-renders everything. */
class Blocks {
  readonly list: Block[] = [];
  private readonly nonce = randomBytes(4).toString('hex');
  private buttons = 0;

  private id(): string {
    return `b${this.list.length}-${this.nonce}`;
  }

  header(text: string): this {
    this.list.push({
      type: 'header',
      block_id: this.id(),
      text: { type: 'plain_text', text: cut(text, 150), emoji: true },
    });
    return this;
  }

  section(mrkdwn: string, accessory?: Button): this {
    if (!mrkdwn.trim()) return this;
    this.list.push({
      type: 'section',
      block_id: this.id(),
      text: { type: 'mrkdwn', text: cut(mrkdwn, SLACK_LIMITS.sectionText) },
      ...(accessory ? { accessory: this.button(accessory) } : {}),
    });
    return this;
  }

  fields(facts: { title: string; value: string }[]): this {
    for (let i = 0; i < facts.length; i += SLACK_LIMITS.fields) {
      this.list.push({
        type: 'section',
        block_id: this.id(),
        fields: facts.slice(i, i + SLACK_LIMITS.fields).map((f) => ({
          type: 'mrkdwn',
          text: cut(`*${esc(f.title)}*\n${esc(f.value)}`, SLACK_LIMITS.fieldText),
        })),
      });
    }
    return this;
  }

  context(text: string): this {
    if (text.trim())
      this.list.push({
        type: 'context',
        block_id: this.id(),
        elements: [{ type: 'mrkdwn', text: cut(text, 3000) }],
      });
    return this;
  }

  divider(): this {
    this.list.push({ type: 'divider', block_id: this.id() });
    return this;
  }

  actions(buttons: Button[]): this {
    if (buttons.length > 0) {
      this.list.push({
        type: 'actions',
        block_id: this.id(),
        elements: buttons.slice(0, 25).map((b) => this.button(b)),
      });
    }
    return this;
  }

  /** action_id must be unique in a message: the verb, then `#n`. The data travels in `value`. */
  private button(b: Button): Block {
    return {
      type: 'button',
      action_id: `${b.verb}#${this.buttons++}`,
      text: { type: 'plain_text', text: cut(b.title, SLACK_LIMITS.buttonText), emoji: true },
      ...(b.url ? { url: b.url } : { value: cut(JSON.stringify(b.data ?? {}), SLACK_LIMITS.buttonValue) }),
      ...(b.style ? { style: b.style } : {}),
    };
  }
}

export function renderBlockKit(view: View): SlackMessage {
  const b = new Blocks();
  let text: string;
  switch (view.kind) {
    case 'job': {
      const p = presentJob(view);
      text = `${p.title}: ${p.status}`;
      b.header(p.title).section(`*${esc(p.status)}*`);
      b.section(
        p.phases
          .map(
            (ph) => `${ph.icon} *${esc(ph.name)}* — ${esc(ph.detail)}${ph.note ? `\n_${esc(ph.note)}_` : ''}`,
          )
          .join('\n'),
      );
      if (p.restoreNote) b.section(esc(p.restoreNote));
      if (p.phasesNote) b.context(esc(p.phasesNote));
      for (const e of p.errors)
        b.section(
          `:x: *${esc(e.code)}*: ${esc(e.message)}${e.recommendations ? `\n${esc(e.recommendations)}` : ''}`,
        );
      b.fields(p.facts).context(esc(p.updated));
      b.actions(buttonsOf(p.actions, p.links));
      break;
    }
    case 'job-list': {
      const p = presentJobList(view);
      text = p.title;
      b.header(p.title).section(`${esc(p.description)}\n${esc(p.summary)}`);
      b.section(
        p.rows
          .map(
            (r) =>
              `${esc(r.status)} · *${esc(r.vm)}* · ${esc(r.operation)} · ${esc(r.started)} · ${esc(r.duration)}`,
          )
          .join('\n'),
      );
      b.actions(buttonsOf(p.actions));
      break;
    }
    case 'vm-list': {
      const p = presentVmList(view);
      text = p.title;
      b.header(p.title).context(esc(p.summary));
      for (const vm of p.vms) {
        const lines = [
          `*${esc(vm.name)}* — ${esc(vm.where)}`,
          esc(vm.state),
          esc(vm.protection),
          vm.eligibility && `:warning: ${esc(vm.eligibility)}`,
          vm.agentWarning && esc(vm.agentWarning),
        ];
        b.section(lines.filter(Boolean).join('\n'), buttonsOf(vm.actions)[0]);
      }
      break;
    }
    case 'enable-backup': {
      const p = presentEnableBackup(view);
      text = p.title;
      b.header(p.title)
        .fields(p.facts)
        .section([p.firstBackup, p.consistency, p.agentWarning].filter(Boolean).map(esc).join('\n'));
      b.actions(buttonsOf(p.actions));
      break;
    }
    case 'stop-backup': {
      const p = presentStopBackup(view);
      text = p.title;
      b.header(p.title).section(esc(p.text)).fields(p.facts);
      break;
    }
    case 'recovery-points': {
      const p = presentRecoveryPoints(view);
      text = p.title;
      b.header(p.title)
        .context(esc(p.summary))
        .section(p.points.map((x) => `*${esc(x.time)}* — ${esc(x.detail)}`).join('\n'));
      break;
    }
    case 'restore-options': {
      const p = presentRestoreOptions(view);
      text = p.title;
      b.header(p.title)
        .context(esc(p.summary))
        .section(p.points.map((x) => `*${esc(x.time)}* — ${esc(x.detail)}`).join('\n'))
        .section(p.options.map((o) => `• ${esc(o)}`).join('\n'))
        .section(esc(p.zoneNote))
        .context(esc(p.howTo));
      b.actions(buttonsOf(p.actions));
      break;
    }
    case 'policy':
    case 'policy-list': {
      const p =
        view.kind === 'policy'
          ? { ...presentPolicy(view), summary: '', policies: [presentPolicy(view).policy] }
          : { ...presentPolicyList(view), vault: '' };
      text = p.title;
      b.header(p.title).context(esc([p.vault, p.summary].filter(Boolean).join(' ')));
      for (const x of p.policies) {
        b.section(
          `*${esc(x.name)}* · ${esc(x.badge)}\n${esc(x.schedule)}\n${x.retention.map(esc).join('\n')}\n_${esc(x.kindNote)} ${esc(x.items)}_`,
        );
      }
      break;
    }
    case 'help': {
      const p = presentHelp(view);
      text = p.title;
      b.header(p.title).context(esc(p.role));
      for (const c of p.commands) {
        b.section(
          [`*${esc(c.title)}* — ${esc(c.summary)}`, c.usage && `\`${esc(c.usage)}\``, esc(c.examples)]
            .filter(Boolean)
            .join('\n'),
        );
      }
      break;
    }
    case 'message': {
      const p = presentMessage(view);
      text = `${p.title}: ${p.text}`;
      b.header(p.title).section(esc(p.text)).fields(p.facts);
      b.actions(buttonsOf(p.actions));
      break;
    }
    case 'error': {
      const p = presentError(view);
      text = `${p.title}: ${p.message}`;
      b.header(p.title)
        .section(esc(p.message))
        .context([p.hint, p.code].filter(Boolean).map(esc).join('  ·  '));
      b.actions(buttonsOf(p.actions));
      break;
    }
    case 'vault':
    case 'vault-list':
    case 'resource-group': {
      const p =
        view.kind === 'vault'
          ? { ...presentVault(view), summary: '' }
          : view.kind === 'vault-list'
            ? { ...presentVaultList(view), facts: presentVaultList(view).vaults, text: '' }
            : { ...presentResourceGroup(view), facts: presentResourceGroup(view).resources, text: '' };
      text = p.title;
      b.header(p.title).context(esc(p.summary)).fields(p.facts).section(esc(p.text));
      break;
    }
    case 'approval': {
      const p = presentApproval(view);
      text = p.title;
      b.header(p.title)
        .fields(p.facts)
        .section(`*What happens and what is lost:*\n${p.consequences.map((c) => `• ${esc(c)}`).join('\n')}`);
      if (p.open) {
        b.context(esc(`${p.confirmLabel}: Approve asks for it.`));
        b.actions(buttonsOf(p.actions));
      }
      break;
    }
    case 'job-alert': {
      const p = presentJobAlert(view);
      text = p.title;
      b.header(p.title).section(esc(p.status));
      for (const e of p.errors)
        b.section(
          `:x: *${esc(e.code)}*: ${esc(e.message)}${e.recommendations ? `\n${esc(e.recommendations)}` : ''}`,
        );
      if (p.noErrors) b.context(esc(p.noErrors));
      b.fields(p.facts).section(esc(p.nextStep)).context(esc(p.updated));
      b.actions(buttonsOf(p.actions, p.links));
      break;
    }
  }
  // The top-level text is the notification and what screen readers say: Slack parses it as mrkdwn
  // like a section, so user text there could ping @channel or show a disguised link.
  return { text: cutEscaped(esc(text), 3000), blocks: b.list.slice(0, SLACK_LIMITS.blocks) };
}

/**
 * The presenters' buttons in Slack's words: the same verbs, titles and data as the Adaptive Card's
 * (test/cards/both-renderers.test.ts compares them), links last. Slack has no style for a default
 * button; a link's action_id is `link.portal#n`, a verb of no command.
 */
function buttonsOf(actions: readonly PresentedAction[], links: readonly ViewLink[] = []): Button[] {
  return [
    ...actions.map((a) => ({
      verb: a.verb,
      title: a.title,
      data: a.data,
      ...(a.style === 'destructive'
        ? { style: 'danger' as const }
        : a.style === 'positive'
          ? { style: 'primary' as const }
          : {}),
    })),
    ...links.map((l) => ({ verb: 'link.portal', title: l.title, url: l.url })),
  ];
}

/** Slack mrkdwn treats &, < and > as control characters. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped text without leaving half an entity (`&am…`) behind. */
function cutEscaped(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…` : s;
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
