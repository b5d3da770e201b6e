/** What a button of a card does, as a test reads it. */
export interface ExecuteAction {
  verb: string;
  title: string;
  data: unknown;
}

/** Every Action.Execute of a card, in order, wherever it sits (card actions, ActionSets, nested). */
export function executeActions(card: unknown): ExecuteAction[] {
  const found: ExecuteAction[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        found.push({ verb: String(o.verb), title: String(o.title), data: o.data });
      // The card's `refresh` is not a button: Teams runs it on its own (Universal Actions).
      Object.entries(o).forEach(([k, v]) => k !== 'refresh' && walk(v));
    }
  };
  walk(card);
  return found;
}

export const executeVerbs = (card: unknown): string[] => executeActions(card).map((a) => a.verb);

/** Every element of a card of the given type (TextBlock, Input.Text, Action.OpenUrl…). */
export function elementsOfType(card: unknown, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === type) found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** All the text a reader sees: TextBlocks, facts, table cells and button titles, one string. */
export function visibleText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value', 'label', 'placeholder'] as const) {
        if (typeof o[key] === 'string') parts.push(o[key]);
      }
      // A button's data is sent, not shown.
      Object.entries(o).forEach(([key, value]) => key !== 'data' && walk(value));
    }
  };
  walk(card);
  return parts.join('\n');
}
