// The one way the window builds DOM: elements with attributes, `on…` handlers and text
// children set as text (never innerHTML), so text from the network is never read as markup.

export type Child = Node | string | null | false | undefined;

/** Attributes as strings, plus `on…` handlers. */
export type Props = { [attr: string]: string | ((e: Event) => void) | undefined };

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v !== undefined) el.setAttribute(k, v);
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

/** `attrs` only when `cond` holds: boolean attributes such as `disabled` or `selected`. */
export const when = (cond: boolean, attrs: Props): Props => (cond ? attrs : {});
