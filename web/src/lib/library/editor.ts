// The rich-text editor: Tiptap bound to a Y.Doc through the maintained Collaboration extension
// (y-tiptap, Tiptap's y-prosemirror), with collaborators' carets from the provider's awareness.
// The same factory renders a saved version read-only from its own Y.Doc.
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { richTextField } from '@crewdeck/shared/library';

export type EditorOptions = {
  element: HTMLElement;
  doc: Y.Doc;
  editable: boolean;
  label: string;
  /** Live session: carets and names of the others. */
  provider?: WebsocketProvider;
  user?: { id: string; name: string; color: string };
  onTransaction?: (editor: Editor) => void;
};

export function createEditor(options: EditorOptions): Editor {
  const { provider, user } = options;
  return new Editor({
    element: options.element,
    editable: options.editable,
    // Styles come from the app's stylesheet; injecting a <style> needs no CSP exception then.
    injectCSS: false,
    extensions: [
      // Yjs keeps the history per user: ProseMirror's own undo would undo the others' edits.
      StarterKit.configure({ undoRedo: false, link: { openOnClick: false } }),
      Collaboration.configure({ document: options.doc, field: richTextField }),
      ...(provider && user ? [CollaborationCaret.configure({ provider, user })] : []),
    ],
    editorProps: {
      attributes: {
        class: 'rich-text',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': options.label,
        'aria-readonly': String(!options.editable),
        'data-testid': 'editor',
      },
    },
    onTransaction: ({ editor }) => options.onTransaction?.(editor),
  });
}

/** Switches an editor between editing and view-only (after an access change). */
export function setEditable(editor: Editor, editable: boolean): void {
  editor.setEditable(editable, false);
  editor.view.dom.setAttribute('aria-readonly', String(!editable));
}

/** A Y.Doc holding a saved version (`Y.encodeStateAsUpdate`, base64). */
export function decodeState(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
