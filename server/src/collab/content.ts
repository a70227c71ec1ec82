import * as Y from 'yjs';
import { richTextField } from '@crewdeck/shared/library';
import { limits } from '@crewdeck/shared/limits';

type XmlNode = Y.XmlElement | Y.XmlText | Y.XmlHook;

function textOf(node: XmlNode | Y.XmlFragment): string {
  if (node instanceof Y.XmlText) {
    const delta = node.toDelta() as Array<{ insert?: unknown }>;
    return delta.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
  }
  if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
    const children = node.toArray().map((child) => textOf(child));
    // Elements holding only text are inline-ish; blocks of blocks get line breaks between them.
    return children.join(node.toArray().every((c) => c instanceof Y.XmlText) ? '' : '\n');
  }
  return '';
}

/** The plain text of a rich-text document (for search and version previews). */
export function plainText(doc: Y.Doc): string {
  try {
    return textOf(doc.getXmlFragment(richTextField))
      .replace(/\n{3,}/g, '\n\n')
      .trim()
      .slice(0, limits.libraryPlainTextMax);
  } catch {
    // Content under another shared type than the editor's: nothing searchable.
    return '';
  }
}

/**
 * Replaces the rich-text content of `target` by a copy of `source`'s, as one ordinary change:
 * connected editors receive it like any edit and converge without reloading.
 */
export function replaceContent(target: Y.Doc, source: Y.Doc): void {
  const from = source.getXmlFragment(richTextField);
  const to = target.getXmlFragment(richTextField);
  if (to.length > 0) to.delete(0, to.length);
  // Hooks are not used by the editor; elements and text are copied whole.
  const copies = from.toArray().flatMap((node) => (node instanceof Y.XmlHook ? [] : [node.clone()]));
  if (copies.length > 0) to.insert(0, copies);
}

/** A Y.Doc holding an encoded state. */
export function docFrom(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
