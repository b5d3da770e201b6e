import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { presentJob, presentJobList } from './present-job.js';
import {
  presentApproval,
  presentError,
  presentHelp,
  presentMessage,
  presentResourceGroup,
  presentVault,
  presentVaultList,
} from './present-basics.js';
import { presentPolicy, presentPolicyList } from './present-policy.js';
import {
  presentEnableBackup,
  presentRecoveryPoints,
  presentStopBackup,
  presentVmList,
} from './present-protection.js';
import type { View } from './views.js';

/** An Adaptive Card 1.5 payload (Teams and the web chat render it). */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: '1.5';
  $schema?: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

type Kind = View['kind'];

/** View → template data. Formatting lives here (tested); layout lives in /cards/<kind>.json. */
const PRESENTERS: { [K in Kind]: (v: Extract<View, { kind: K }>) => object } = {
  job: presentJob,
  'job-list': presentJobList,
  'vm-list': presentVmList,
  'enable-backup': presentEnableBackup,
  'stop-backup': presentStopBackup,
  'recovery-points': presentRecoveryPoints,
  policy: presentPolicy,
  'policy-list': presentPolicyList,
  help: presentHelp,
  message: presentMessage,
  error: presentError,
  vault: presentVault,
  'vault-list': presentVaultList,
  'resource-group': presentResourceGroup,
  approval: presentApproval,
};

interface Template {
  expand(context: { $root: unknown }): unknown;
}

// adaptivecards-templating's typings pull in the TypeScript sources of `adaptivecards`, which do not
// compile under this project's settings; its API is one class, typed here.
const { Template: TemplateClass } = createRequire(import.meta.url)('adaptivecards-templating') as {
  Template: new (payload: unknown) => Template;
};

const TEMPLATES = new Map<Kind, Template>();

function templateFor(kind: Kind): Template {
  let t = TEMPLATES.get(kind);
  if (!t) {
    const json: unknown = JSON.parse(
      readFileSync(new URL(`../../cards/${kind}.json`, import.meta.url), 'utf8'),
    );
    t = new TemplateClass(json);
    TEMPLATES.set(kind, t);
  }
  return t;
}

export function renderAdaptiveCard(view: View): AdaptiveCard {
  const present = PRESENTERS[view.kind] as (v: View) => object;
  // Data values are inserted as they are: the engine evaluates expressions in the template only.
  return templateFor(view.kind).expand({ $root: present(view) }) as AdaptiveCard;
}
