import { deflateSync, strToU8, type Zippable, zipSync } from 'fflate';

/** Ways to make a test DOCX hostile or unusual. */
export interface MakeDocxOptions {
  /** Styles the first paragraph as “heading 1”. */
  firstParagraphIsHeading?: boolean;
  /** Puts a DOCTYPE with an external entity (XXE) in word/document.xml and references it. */
  externalEntity?: boolean;
  /** Puts a DOCTYPE with an internal entity definition (billion-laughs style) in word/document.xml. */
  internalEntity?: boolean;
  /** Adds this many small extra parts (customXml/itemN.xml). */
  extraEntries?: number;
  /** Adds word/bomb.xml: this many bytes of one repeated character, deflated at the highest level. */
  bombBytes?: number;
  /** Overwrites the uncompressed size recorded in the central directory for these part names. */
  declaredSizes?: Readonly<Record<string, number>>;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;

const DOCUMENT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
</w:styles>`;

/**
 * Builds a minimal valid DOCX in memory, one paragraph per string, optionally made hostile.
 *
 * Text is XML-escaped, so `<script>` in a paragraph is a literal paragraph text, as Word would save it.
 */
export function makeDocx(paragraphs: readonly string[], options: MakeDocxOptions = {}): Uint8Array {
  const body = paragraphs
    .map((text, index) => {
      const style =
        index === 0 && options.firstParagraphIsHeading ? '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' : '';
      return `<w:p>${style}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
    })
    .join('');
  let doctype = '';
  let entityReference = '';
  if (options.externalEntity) {
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
    entityReference = '<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>';
  } else if (options.internalEntity) {
    doctype = '<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>';
    entityReference = '<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>';
  }
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${doctype}
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}${entityReference}</w:body></w:document>`;

  const files: Zippable = {
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    '_rels/.rels': strToU8(ROOT_RELS),
    'word/document.xml': strToU8(document),
    'word/_rels/document.xml.rels': strToU8(DOCUMENT_RELS),
    'word/styles.xml': strToU8(STYLES),
  };
  for (let index = 0; index < (options.extraEntries ?? 0); index++) {
    files[`customXml/item${index}.xml`] = strToU8(`<item n="${index}"/>`);
  }
  if (options.bombBytes) {
    files['word/bomb.xml'] = [new Uint8Array(options.bombBytes).fill(0x20), { level: 9 }];
  }
  let zip: Uint8Array = zipSync(files);
  if (options.declaredSizes) zip = patchDeclaredSizes(zip, options.declaredSizes);
  return zip;
}

/** Deflates `bytes` with no zip wrapper, for tests that build their own archives. */
export function deflate(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9 });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Rewrites central-directory uncompressed sizes, to simulate a header that lies. */
function patchDeclaredSizes(zip: Uint8Array, sizes: Readonly<Record<string, number>>): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let eocd = out.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let cursor = view.getUint32(eocd + 16, true);
  const entries = view.getUint16(eocd + 10, true);
  for (let entry = 0; entry < entries; entry++) {
    const nameLength = view.getUint16(cursor + 28, true);
    const name = new TextDecoder().decode(out.subarray(cursor + 46, cursor + 46 + nameLength));
    const size = sizes[name];
    if (size !== undefined) view.setUint32(cursor + 24, size, true);
    cursor += 46 + nameLength + view.getUint16(cursor + 30, true) + view.getUint16(cursor + 32, true);
  }
  return out;
}
