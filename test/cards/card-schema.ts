import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

/**
 * The official Adaptive Card 1.5 schema (JSON Schema draft-06), as vendored in test/fixtures.
 * Formats (uri, uri-reference) are not checked: Ajv 8 ships no format validators without
 * ajv-formats, and every URL on our cards comes from our own code.
 */
const { id, ...body } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/schemas/adaptive-card-1.5.json'), 'utf8'),
) as { id: string } & Record<string, unknown>;

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft06);
// The schema names itself with draft-04's `id`; Ajv 8 reads `$id`.
const validate = ajv.compile({ ...body, $id: id });

/** The schema's complaints about a card; empty when it is a valid 1.5 card. */
export function schemaErrors(card: unknown): string[] {
  if (validate(card)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/**
 * Teams refuses a message over about 100 KB (card and envelope together); our cards stay far
 * below, so a long list or an update never gets close.
 */
export const MAX_CARD_BYTES = 28 * 1024;

export const cardBytes = (card: unknown): number => Buffer.byteLength(JSON.stringify(card));
