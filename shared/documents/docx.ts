import mammoth from 'mammoth';
import { CorruptDocumentError } from './errors.js';
import type { IntakeLimits } from './limits.js';
import { inspectAndRebuildDocx } from './zip-guard.js';

/**
 * Converts a DOCX to (unsanitized) HTML with mammoth, after the zip guard has checked it and
 * rebuilt it from the XML parts it verified.
 *
 * @throws ZipBombError, UnsafeXmlError, CorruptDocumentError
 */
export async function docxToHtml(bytes: Uint8Array, limits: IntakeLimits): Promise<string> {
  const checked = inspectAndRebuildDocx(bytes, limits);
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(checked.buffer, checked.byteOffset, checked.byteLength) },
      {
        // Never follow links to files outside the document (mammoth's default, stated on purpose).
        externalFileAccess: false,
        includeEmbeddedStyleMap: false,
        // Images are dropped at intake; the converter never reads the (not passed on) image part.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    return result.value;
  } catch (error) {
    throw new CorruptDocumentError('文件不是有效的 Word 文档（缺少正文或内部结构不完整）', { cause: error });
  }
}
