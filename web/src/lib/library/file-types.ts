// What an uploaded file is, from the content type the server sniffed from its bytes (never from
// the name's extension, which anyone can choose): its badge, a readable type, and whether the
// preview endpoint shows it inline.
import type { FileInfo } from '@crewdeck/shared/library';
import { m } from '../paraglide/messages.js';

export type PreviewKind = 'image' | 'pdf' | null;

interface FileType {
  /** Short badge text (a format abbreviation, the same in every language). */
  badge: string;
  /** Readable type for titles and screen readers. */
  label: () => string;
}

const ooxml = 'application/vnd.openxmlformats-officedocument.';
const odf = 'application/vnd.oasis.opendocument.';

const types: Record<string, FileType> = {
  'application/pdf': { badge: 'PDF', label: m.lib_type_pdf },
  'image/png': { badge: 'PNG', label: m.lib_type_image },
  'image/jpeg': { badge: 'JPG', label: m.lib_type_image },
  'image/gif': { badge: 'GIF', label: m.lib_type_image },
  'image/webp': { badge: 'WEBP', label: m.lib_type_image },
  'text/plain': { badge: 'TXT', label: m.lib_type_text },
  'text/csv': { badge: 'CSV', label: m.lib_type_sheet },
  'text/markdown': { badge: 'MD', label: m.lib_type_text },
  'application/rtf': { badge: 'RTF', label: m.lib_type_word },
  'application/zip': { badge: 'ZIP', label: m.lib_type_archive },
  'application/x-cfb': { badge: 'MSO', label: m.lib_type_word },
  [`${ooxml}wordprocessingml.document`]: { badge: 'DOCX', label: m.lib_type_word },
  [`${ooxml}spreadsheetml.sheet`]: { badge: 'XLSX', label: m.lib_type_sheet },
  [`${ooxml}presentationml.presentation`]: { badge: 'PPTX', label: m.lib_type_slides },
  [`${odf}text`]: { badge: 'ODT', label: m.lib_type_word },
  [`${odf}spreadsheet`]: { badge: 'ODS', label: m.lib_type_sheet },
  [`${odf}presentation`]: { badge: 'ODP', label: m.lib_type_slides },
};

/** Images the preview endpoint serves inline (the same list the server's `inlineImageTypes` holds). */
const inlineImages = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The bare media type: `text/plain; charset=utf-8` → `text/plain`. */
function mediaType(file: FileInfo): string {
  return file.contentType.split(';')[0].trim().toLowerCase();
}

/** Badge text for a file ("PDF", "PNG", …); the generic file label for types not listed. */
export function fileBadge(file: FileInfo): string {
  return types[mediaType(file)]?.badge ?? m.lib_kind_file();
}

/** Readable type for a file ("Image", "Spreadsheet", …). */
export function fileTypeLabel(file: FileInfo): string {
  return types[mediaType(file)]?.label() ?? m.lib_uploaded_file();
}

/** How the file previews inline, or null when it does not (it is only downloaded). */
export function previewKind(file: FileInfo): PreviewKind {
  const type = mediaType(file);
  if (inlineImages.has(type)) return 'image';
  return type === 'application/pdf' ? 'pdf' : null;
}
