// Small DOM helpers for the dashboard: text only (never innerHTML), so log content cannot inject markup.

/** The page element with this id; throws when the page and the script do not match (a build error). */
export function byId<T extends HTMLElement = HTMLElement>(id: string, root: Document = document): T {
  const found = root.getElementById(id);
  if (!found) throw new Error(`dashboard: the page has no #${id}`);
  return found as T;
}

/** A new element with an optional class, text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  opts: { cls?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (opts.cls) node.className = opts.cls;
  if (opts.text !== undefined) node.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs ?? {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** Sets an element's text (a dash for a missing value). */
export function setText(node: HTMLElement, text: string | null | undefined): void {
  node.textContent = text === null || text === undefined || text === '' ? '—' : text;
}
