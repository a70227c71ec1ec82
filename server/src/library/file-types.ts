import { fileTypeFromBuffer } from 'file-type';
import { ValidationError } from '../http/errors.ts';

const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const pptx = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const odt = 'application/vnd.oasis.opendocument.text';
const ods = 'application/vnd.oasis.opendocument.spreadsheet';
const odp = 'application/vnd.oasis.opendocument.presentation';
const zip = 'application/zip';
/** Legacy Office (`.doc`, `.xls`, `.ppt`): OLE compound files. */
const cfb = 'application/x-cfb';
const archives = [zip, docx, xlsx, pptx, odt, ods, odp];

/**
 * Upload allow-list, by sniffed content type: `UPLOAD_ALLOWED_TYPES`, comma-separated
 * (e.g. `application/pdf,image/png,text/plain`). Default: PDF, common images, plain text,
 * CSV, Markdown, ZIP, Office (OOXML, OpenDocument, legacy) and RTF. Executables, scripts
 * and unrecognized binaries are never accepted, whatever the list says.
 */
export const defaultAllowedTypes: readonly string[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/rtf',
  cfb,
  ...archives,
];

export function allowedUploadTypes(env = process.env.UPLOAD_ALLOWED_TYPES): ReadonlySet<string> {
  const listed = (env ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  return new Set(listed.length > 0 ? listed : defaultAllowedTypes);
}

/** Extensions refused whatever the bytes: programs, scripts and active web content. */
const blockedExtensions = new Set(
  (
    'exe dll com scr msi msp bat cmd ps1 psm1 vbs vbe js mjs cjs jse wsf wsh hta lnk reg sh bash zsh ' +
    'py pyc rb pl php jar apk app dmg deb rpm elf so dylib html htm xhtml svg svgz'
  ).split(' '),
);

/** Binary formats a name claims, and the sniffed types that honour the claim. */
const claims: Record<string, readonly string[]> = {
  pdf: ['application/pdf'],
  png: ['image/png'],
  jpg: ['image/jpeg'],
  jpeg: ['image/jpeg'],
  gif: ['image/gif'],
  webp: ['image/webp'],
  zip: archives,
  docx: [docx, zip],
  xlsx: [xlsx, zip],
  pptx: [pptx, zip],
  odt: [odt, zip],
  ods: [ods, zip],
  odp: [odp, zip],
  doc: [cfb],
  xls: [cfb],
  ppt: [cfb],
  rtf: ['application/rtf'],
};

/** Text types by extension; any other text is `text/plain`. */
const textTypes: Record<string, string> = { csv: 'text/csv', md: 'text/markdown', markdown: 'text/markdown' };

/** Whether the whole stream was text: valid UTF-8 without NUL bytes. */
export interface TextCheck {
  text: boolean;
}

/** Types whose bytes render in a browser and may be previewed inline (sandboxed). */
export const inlineImageTypes: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

const refuse = (message: string) => new ValidationError({ file: message }, message);

/**
 * The stored type of an upload, from its bytes: the magic number when it has one, else text
 * (only valid UTF-8 without NULs). Refused (400, field `file`): a blocked extension, a name
 * claiming another binary format than the bytes are, or a type outside the allow-list.
 */
export async function classifyUpload(
  head: Buffer,
  whole: TextCheck,
  filename: string,
  allowed: ReadonlySet<string>,
): Promise<string> {
  const ext = extensionOf(filename);
  if (blockedExtensions.has(ext)) throw refuse(`Files of type .${ext} are not accepted`);
  const detected = await fileTypeFromBuffer(head);
  let type: string;
  if (detected) {
    type = detected.mime;
    const claimed = claims[ext];
    if (claimed && !claimed.includes(type))
      throw refuse(`The file's content (${type}) does not match its name (.${ext})`);
  } else if (head.length > 0 && whole.text) {
    type = textTypes[ext] ?? 'text/plain';
  } else {
    throw refuse('This file type is not recognized and is not accepted');
  }
  if (!allowed.has(type)) throw refuse(`Files of type ${type} are not accepted`);
  return type;
}
