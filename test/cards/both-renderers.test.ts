import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { VIEW_KINDS } from '../../src/cards/present-view.js';
import { VERB_TABLE, VERBS } from '../../src/cards/verbs.js';
import type { View } from '../../src/cards/views.js';
import { renderBlockKit } from '../../src/channels/slack/block-kit-renderer.js';
import { COMMANDS } from '../../src/chat/command-list.js';
import { elementsOfType, executeActions } from './card-actions.js';
import { ALL_VIEWS, JOB_VIEWS, OPEN_APPROVAL, UNKNOWN_COMMAND } from './fixtures.js';

/** A button as both platforms show it: what it runs (verb and data) or opens (url), and its words. */
interface Button {
  title: string;
  verb?: string;
  data?: unknown;
  url?: string;
}

function adaptiveButtons(view: View): Button[] {
  const card = renderAdaptiveCard(view);
  return [
    ...executeActions(card).map((a) => ({ title: a.title, verb: a.verb, data: a.data })),
    ...elementsOfType(card, 'Action.OpenUrl').map((a) => ({ title: String(a.title), url: String(a.url) })),
  ];
}

function blockKitButtons(view: View): Button[] {
  const found: Button[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'button') {
        const title = String((o.text as { text: string }).text);
        found.push(
          typeof o.url === 'string'
            ? { title, url: o.url }
            : {
                title,
                verb: String(o.action_id).split('#')[0],
                data: JSON.parse(String(o.value)) as unknown,
              },
        );
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(renderBlockKit(view).blocks);
  return found;
}

/** Links first, then runnable buttons, each group in its order: the platforms place them differently. */
const byKind = (buttons: Button[]) => [...buttons.filter((b) => b.url), ...buttons.filter((b) => !b.url)];

describe('one view, two renderers: the same buttons', () => {
  const views: View[] = [...ALL_VIEWS, ...JOB_VIEWS, OPEN_APPROVAL, UNKNOWN_COMMAND];

  it('covers every kind of view', () => {
    expect(new Set(views.map((v) => v.kind))).toEqual(new Set(VIEW_KINDS));
  });

  it.each(views.map((v, i) => [`${i} ${v.kind}`, v] as const))(
    '%s: Adaptive Card and Block Kit offer the same verbs, data, titles and links',
    (_name, view) => {
      expect(byKind(blockKitButtons(view))).toEqual(byKind(adaptiveButtons(view)));
    },
  );

  it('the fixtures do offer buttons: every verb of the table appears on some card', () => {
    const shown = new Set(views.flatMap((v) => adaptiveButtons(v).map((b) => b.verb)));
    expect(VERBS.filter((v) => !shown.has(v))).toEqual([]);
  });
});

describe('the verb table', () => {
  it('names, for each verb, the one command that answers it, with that command’s role', () => {
    for (const verb of VERBS) {
      const info = VERB_TABLE[verb];
      if (info.command === 'typed text') continue;
      const answering = COMMANDS.filter((c) => c.actions?.[verb]);
      expect(
        answering.map((c) => c.id),
        verb,
      ).toEqual([info.command]);
      expect(answering[0]!.role, verb).toBe(info.role);
    }
  });

  it('every verb a command takes is in the table', () => {
    const taken = COMMANDS.flatMap((c) => Object.keys(c.actions ?? {}));
    expect(taken.filter((v) => !(VERBS as string[]).includes(v))).toEqual([]);
  });
});
