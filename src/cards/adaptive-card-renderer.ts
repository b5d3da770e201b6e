import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { plainTextCard } from './card-markdown.js';
import { VIEW_KINDS, presentView } from './present-view.js';
import type { View } from './views.js';

/** An Adaptive Card 1.5 payload, as Teams and the web chat's `adaptivecards` render it. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: '1.5';
  $schema: string;
  body: CardElement[];
  actions?: CardElement[];
  /** Universal Actions: Teams refreshes the card for each viewer while a job runs. */
  refresh?: { action: CardElement };
}

/** An element or action of a card: its `type` and the properties the 1.5 schema allows for it. */
export interface CardElement {
  type: string;
  [property: string]: unknown;
}

interface Template {
  expand(context: { $root: unknown }): unknown;
}

// adaptivecards-templating's typings pull in the TypeScript sources of `adaptivecards`, which do not
// compile under this project's settings (verbatimModuleSyntax); its API is one class, typed here.
const { Template: TemplateClass } = createRequire(import.meta.url)('adaptivecards-templating') as {
  Template: new (payload: unknown) => Template;
};

/** `cards/` at the project root: two levels up from src/cards/ and, after a build, from dist/cards/. */
const templateUrl = (kind: View['kind']) => new URL(`../../cards/${kind}.json`, import.meta.url);

/** Every template, read and parsed once when the module loads: a missing or broken one fails at start. */
const TEMPLATES = new Map(
  VIEW_KINDS.map((kind) => [kind, new TemplateClass(JSON.parse(readFileSync(templateUrl(kind), 'utf8')))]),
);

export function renderAdaptiveCard(view: View): AdaptiveCard {
  const template = TEMPLATES.get(view.kind)!;
  // Data values are inserted as they are: the engine evaluates expressions in the template only, so a
  // VM name like "${x}" stays text. Text shown as Markdown is escaped: what people type stays text.
  const card = plainTextCard(template.expand({ $root: presentView(view) }) as Record<string, unknown>);
  // A top-level property whose $when is false expands to null (the job card's `refresh` once the
  // job has ended): drop it rather than send a null the schema refuses.
  return Object.fromEntries(
    Object.entries(card).filter(([, value]) => value !== null),
  ) as unknown as AdaptiveCard;
}
