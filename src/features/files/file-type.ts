/**
 * What a stored file is, told by its content alone (the `file-type` package reads the signatures of
 * binary formats; text is valid UTF-8 without NUL). The name and type a client declares are never
 * consulted: a page saying "report.pdf, application/pdf" may be an HTML page with a script in it.
 * Only the types on the allow-list are stored; everything else is refused, naming what was found.
 */
import { fileTypeFromBuffer } from 'file-type';
import { VigilError } from '../../errors.js';

/** Accepted media types, with the file extension a download gets. */
export const ACCEPTED_TYPES: Readonly<Record<string, { ext: string; label: string }>> = {
  'application/pdf': { ext: 'pdf', label: 'PDF' },
  'image/jpeg': { ext: 'jpg', label: 'JPEG image' },
  'image/png': { ext: 'png', label: 'PNG image' },
  'image/webp': { ext: 'webp', label: 'WebP image' },
  'image/gif': { ext: 'gif', label: 'GIF image' },
  'video/mp4': { ext: 'mp4', label: 'MP4 video' },
  'video/webm': { ext: 'webm', label: 'WebM video' },
  'audio/mpeg': { ext: 'mp3', label: 'MP3 audio' },
  'audio/x-m4a': { ext: 'm4a', label: 'M4A audio' },
  'audio/mp4': { ext: 'm4a', label: 'M4A audio' },
  'audio/ogg': { ext: 'ogg', label: 'OGG audio' },
  'audio/opus': { ext: 'opus', label: 'Opus audio (OGG)' },
  'audio/wav': { ext: 'wav', label: 'WAV audio' },
  'audio/vnd.wave': { ext: 'wav', label: 'WAV audio' },
  'text/plain': { ext: 'txt', label: 'plain text' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: 'docx', label: 'DOCX document' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: 'xlsx', label: 'XLSX spreadsheet' },
  'application/vnd.oasis.opendocument.text': { ext: 'odt', label: 'ODT document' },
};

const ACCEPTED_LIST = 'PDF, JPEG, PNG, WebP, GIF, MP4/WebM video, MP3/M4A/OGG/WAV audio, plain text (UTF-8) and DOCX/ODT/XLSX documents';

/** Names for types people are likely to try, so the refusal says what the file is. */
const REFUSED_NAMES: Readonly<Record<string, string>> = {
  'text/html': 'an HTML page',
  'image/svg+xml': 'an SVG image (it can carry scripts)',
  'application/xml': 'an XML document',
  'text/x-shellscript': 'a script',
  'application/x-elf': 'an executable program (ELF)',
  'application/x-msdownload': 'an executable program (Windows)',
  'application/x-mach-binary': 'an executable program (macOS)',
  'application/zip': 'a ZIP archive',
  'application/x-7z-compressed': 'a 7-Zip archive',
  'application/x-rar-compressed': 'a RAR archive',
  'application/x-tar': 'a tar archive',
  'application/gzip': 'a gzip archive',
  'application/java-archive': 'a Java archive',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'a PPTX presentation',
  'application/octet-stream': 'binary data of no known type',
};

export interface DetectedType {
  mediaType: string;
  ext: string;
}

function refused(mediaType: string, found?: string): VigilError {
  const what = found ?? REFUSED_NAMES[mediaType] ?? `a file of type ${mediaType}`;
  return new VigilError('file_type_refused', `the file is ${what} (${mediaType}, told by its content, whatever its name says); Vigil stores only ${ACCEPTED_LIST}`, 415);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isText(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    utf8.decode(content);
    return true;
  } catch {
    return false;
  }
}

/**
 * Text a browser or another program would treat as markup or code (after a byte-order mark and
 * blanks): refused even though it is valid text, since a copy opened outside Vigil may run it.
 */
function markupOrScript(content: Buffer): string | null {
  const start = content.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (start.startsWith('#!')) return 'text/x-shellscript';
  if (!start.startsWith('<')) return null;
  if (start.includes('<svg')) return 'image/svg+xml';
  if (start.startsWith('<?xml') && !/<(!doctype\s+)?html/.test(start)) return 'application/xml';
  return 'text/html';
}

/** The media type of `content`, if Vigil accepts it; otherwise a 415 naming what the content is. */
export async function detectFileType(content: Buffer): Promise<DetectedType> {
  if (content.length === 0) throw new VigilError('file_empty', 'the file is empty (0 bytes); there is nothing to store', 400);
  const detected = await fileTypeFromBuffer(content);
  let mediaType: string;
  if (detected && detected.mime !== 'application/xml') mediaType = detected.mime;
  else if (isText(content)) mediaType = markupOrScript(content) ?? 'text/plain';
  else mediaType = detected?.mime ?? 'application/octet-stream';
  const accepted = ACCEPTED_TYPES[mediaType];
  if (!accepted) throw refused(mediaType);
  return { mediaType, ext: accepted.ext };
}

/** The extension a download of this type is named with. */
export function extensionOf(mediaType: string): string {
  return ACCEPTED_TYPES[mediaType]?.ext ?? 'bin';
}
