import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  BinaryContentError,
  CorruptDocumentError,
  DEFAULT_INTAKE_LIMITS,
  DocumentRejectedError,
  DocumentTooLargeError,
  EmptyDocumentError,
  formatFromFileName,
  readDocument,
  UndecodableTextError,
  UnsafeXmlError,
  UnsupportedFormatError,
  ZipBombError,
} from '../../../shared/documents/index.js';
import { makeDocx } from '../../support/docx.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const MiB = 1024 * 1024;

/** Runs `action`, returns how long it took to reject and the error. */
async function timeRejection(action: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await action();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected a rejection');
}

describe('Function: formatFromFileName', () => {
  it('picks the format from the extension, case-insensitively', () => {
    expect(formatFromFileName('方案.DOCX')).toBe('docx');
    expect(formatFromFileName('a.txt')).toBe('txt');
    expect(formatFromFileName('a.md')).toBe('markdown');
    expect(formatFromFileName('a.markdown')).toBe('markdown');
    expect(formatFromFileName('a.htm')).toBe('html');
    expect(formatFromFileName('dir/../b.html')).toBe('html');
  });

  it.each(['方案.pdf', '方案.ofd', '方案.wps', '方案.doc', 'README', '.txt', 'x.exe'])(
    'rejects %s and lists the accepted formats',
    (name) => {
      // Act
      const act = () => formatFromFileName(name);

      // Assess
      expect(act).toThrow(UnsupportedFormatError);
      expect(act).toThrow(/DOCX.*纯文本.*Markdown.*HTML/);
    },
  );

  it('names a PDF as a PDF in the rejection', () => {
    expect(() => formatFromFileName('通知.pdf')).toThrow(/PDF/);
  });
});

describe('Function: readDocument (DOCX)', () => {
  it('converts paragraphs to sanitized HTML and newline-separated text with a title', async () => {
    // Prepare
    const bytes = makeDocx(['银川市政务公开实施方案', '第一段。', '第二段，30日内办结。'], {
      firstParagraphIsHeading: true,
    });

    // Act
    const document = await readDocument(bytes, '方案.docx');

    // Assess
    expect(document).toEqual({
      format: 'docx',
      encoding: null,
      text: '银川市政务公开实施方案\n第一段。\n第二段，30日内办结。',
      html: '<h1>银川市政务公开实施方案</h1><p>第一段。</p><p>第二段，30日内办结。</p>',
      title: '银川市政务公开实施方案',
    });
  });

  it('keeps <script> typed into a paragraph as escaped text', async () => {
    const document = await readDocument(makeDocx(['正文<script>alert(1)</script>']), 'a.docx');

    expect(document.html).toBe('<p>正文&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(document.text).toBe('正文<script>alert(1)</script>');
  });

  it('rejects an entry with a very high inflate ratio fast', async () => {
    // Prepare: 16 MiB of spaces deflate to ~16 KiB (about 1000:1)
    const bytes = makeDocx(['x'], { bombBytes: 16 * MiB });

    // Act
    const { error, ms } = await timeRejection(() => readDocument(bytes, 'bomb.docx'));

    // Assess
    expect(error).toBeInstanceOf(ZipBombError);
    expect(ms).toBeLessThan(200);
  });

  it('rejects a zip with too many entries before reading them', async () => {
    const bytes = makeDocx(['x'], { extraEntries: DEFAULT_INTAKE_LIMITS.maxZipEntries + 1 });

    const { error, ms } = await timeRejection(() => readDocument(bytes, 'many.docx'));

    expect(error).toBeInstanceOf(ZipBombError);
    expect(ms).toBeLessThan(200);
  });

  it('rejects a huge declared uncompressed size without inflating', async () => {
    const bytes = makeDocx(['x'], { declaredSizes: { 'word/document.xml': 1024 * MiB } });

    const { error, ms } = await timeRejection(() => readDocument(bytes, 'huge.docx'));

    expect(error).toBeInstanceOf(ZipBombError);
    expect(ms).toBeLessThan(50);
  });

  it('stops inflating an entry whose header understates its size', async () => {
    // Prepare: 8 MiB of data declared as 1000 bytes (ratio check alone would pass)
    const bytes = makeDocx(['x'], { bombBytes: 8 * MiB, declaredSizes: { 'word/bomb.xml': 1000 } });

    const { error, ms } = await timeRejection(() => readDocument(bytes, 'lying.docx'));

    expect(error).toBeInstanceOf(ZipBombError);
    expect((error as Error).message).toMatch(/声明/);
    expect(ms).toBeLessThan(200);
  });

  it('honours lower limits passed by the caller', async () => {
    const bytes = makeDocx(['x'], { extraEntries: 20 });

    await expect(readDocument(bytes, 'a.docx', { maxZipEntries: 10 })).rejects.toBeInstanceOf(ZipBombError);
  });

  it.each([
    ['an external entity (XXE)', { externalEntity: true }],
    ['an internal entity definition', { internalEntity: true }],
  ])('rejects a DOCX with %s', async (_label, options) => {
    const { error, ms } = await timeRejection(() => readDocument(makeDocx(['x'], options), 'x.docx'));

    expect(error).toBeInstanceOf(UnsafeXmlError);
    expect((error as Error).message).not.toMatch(/passwd/);
    expect(ms).toBeLessThan(100);
  });

  it('rejects a truncated DOCX as corrupt', async () => {
    const valid = makeDocx(['正文']);

    await expect(readDocument(valid.subarray(0, valid.length - 30), 'a.docx')).rejects.toBeInstanceOf(
      CorruptDocumentError,
    );
  });

  it('rejects a zip without a Word document as corrupt', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    const bytes = zipSync({ 'hello.xml': strToU8('<a/>') });

    await expect(readDocument(bytes, 'a.docx')).rejects.toBeInstanceOf(CorruptDocumentError);
  });

  it('rejects a PDF renamed to .docx as unsupported', async () => {
    await expect(readDocument(utf8('%PDF-1.7\n'), 'a.docx')).rejects.toBeInstanceOf(UnsupportedFormatError);
  });

  it('rejects an OLE file (old .doc, .wps or encrypted .docx) renamed to .docx as unsupported', async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);

    await expect(readDocument(ole, 'a.docx')).rejects.toThrow(/加密|旧版/);
  });
});

describe('Function: readDocument (TXT)', () => {
  it('reads UTF-8 and normalises line ends, trailing spaces and blank runs', async () => {
    const document = await readDocument(utf8('标题  \r\n\r\n\r\n\r\n\r\n正文。\t\r\n'), 'a.txt');

    expect(document.encoding).toBe('utf-8');
    expect(document.text).toBe('标题\n\n\n正文。');
    expect(document.html).toBe('<p>标题</p>\n<p>正文。</p>');
    expect(document.title).toBe('标题');
  });

  it('reads UTF-8 with a BOM and drops the BOM', async () => {
    const document = await readDocument(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('通知')]), 'a.txt');

    expect(document).toMatchObject({ encoding: 'utf-8', text: '通知', title: '通知' });
  });

  it('reads GB18030 (GBK) text', async () => {
    // Prepare
    const bytes = iconv.encode('银川市政务公开实施方案\r\n开放数据集达到300个。𠀀', 'gb18030');

    // Act
    const document = await readDocument(bytes, 'gbk.txt');

    // Assess
    expect(document.encoding).toBe('gb18030');
    expect(document.text).toBe('银川市政务公开实施方案\n开放数据集达到300个。𠀀');
  });

  it('reads UTF-16 with a BOM', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from('通知正文', 'utf16le')]);

    const document = await readDocument(bytes, 'a.txt');

    expect(document).toMatchObject({ encoding: null, text: '通知正文' });
  });

  it('rejects bytes that are neither UTF-8 nor GB18030 instead of producing U+FFFD', async () => {
    const bytes = new Uint8Array([...utf8('正文'), 0xff, 0xfe, 0xfd, ...utf8('结束')]);

    await expect(readDocument(bytes, 'a.txt')).rejects.toBeInstanceOf(UndecodableTextError);
  });

  it('rejects a BOM-marked UTF-8 file with invalid UTF-8 inside', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...iconv.encode('中文', 'gbk')]);

    await expect(readDocument(bytes, 'a.txt')).rejects.toBeInstanceOf(UndecodableTextError);
  });

  it.each([
    ['NUL bytes', new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x43])],
    ['a PDF', utf8('%PDF-1.4\n1 0 obj')],
    ['a zip', makeDocx(['x'])],
    ['many control bytes', new Uint8Array(200).map((_, index) => (index % 3 === 0 ? 0x01 : 0x41))],
  ])('rejects %s named .txt as binary', async (_label, bytes) => {
    await expect(readDocument(bytes, 'a.txt')).rejects.toBeInstanceOf(BinaryContentError);
  });

  it('rejects an empty file and a whitespace-only file as empty', async () => {
    await expect(readDocument(new Uint8Array(0), 'a.txt')).rejects.toBeInstanceOf(EmptyDocumentError);
    await expect(readDocument(utf8(' \n\u3000\n'), 'a.txt')).rejects.toBeInstanceOf(EmptyDocumentError);
  });

  it('rejects a file over the size limit before looking at its content', async () => {
    const bytes = new Uint8Array(DEFAULT_INTAKE_LIMITS.maxBytes + 1);

    const { error, ms } = await timeRejection(() => readDocument(bytes, 'a.txt'));

    expect(error).toBeInstanceOf(DocumentTooLargeError);
    expect((error as DocumentTooLargeError).httpStatus).toBe(413);
    expect((error as Error).message).toMatch(/20 MB/);
    expect(ms).toBeLessThan(100);
  });

  it('cuts a long first line to a 200-character title', async () => {
    const document = await readDocument(utf8('长'.repeat(500)), 'a.txt');

    expect(document.title).toBe('长'.repeat(200));
  });
});

describe('Function: readDocument (Markdown and HTML)', () => {
  it('keeps the line structure de-identification relies on: line breaks, list numbers, table cells', async () => {
    const markdown =
      '# 公示\n\n姓名：张三\n住址：兴庆区解放街12号\n\n1. 第一项\n2. 第二项\n\n| 序号 | 姓名 |\n|---|---|\n| 1 | 李四 |\n';
    const document = await readDocument(utf8(markdown), 'a.md');
    expect(document.text).toBe(
      '公示\n姓名：张三\n住址：兴庆区解放街12号\n1. 第一项\n2. 第二项\n序号\t姓名\n1\t李四',
    );
    const html = await readDocument(
      utf8('<ol start="3"><li>甲</li><li>乙</li></ol><table><tr><td>王五</td><td> 男 </td></tr></table>'),
      'a.html',
    );
    expect(html.text).toBe('3. 甲\n4. 乙\n王五\t男');
  });

  it('renders Markdown with raw HTML disabled and dangerous links and images removed', async () => {
    // Prepare
    const markdown =
      '# 实施方案\n\n正文 **重点**。\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1)) ![图](https://evil.example/x.png) [官网](https://www.yinchuan.gov.cn)\n';

    // Act
    const document = await readDocument(utf8(markdown), 'a.md');

    // Assess
    expect(document.title).toBe('实施方案');
    expect(document.html).toContain('<h1>实施方案</h1>');
    expect(document.html).toContain('<strong>重点</strong>');
    expect(document.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(document.html).not.toMatch(/<script|<img|href="javascript:|evil\.example/);
    expect(document.html).toContain('<a href="https://www.yinchuan.gov.cn">官网</a>');
    expect(document.text).toContain('正文 重点。');
  });

  it('sanitizes HTML uploads and takes the title from the first heading', async () => {
    const html =
      '<html><head><title>页面</title><style>p{}</style></head><body><h2 onclick="x()">标题</h2><script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe><p style="color:red">正文</p></body></html>';

    const document = await readDocument(utf8(html), 'a.html');

    expect(document.html).toBe('<h2>标题</h2><p>正文</p>');
    expect(document.text).toBe('标题\n正文');
    expect(document.title).toBe('标题');
  });

  it('reads GB18030-encoded HTML', async () => {
    const document = await readDocument(iconv.encode('<p>政务公开</p>', 'gb18030'), 'a.htm');

    expect(document).toMatchObject({ encoding: 'gb18030', text: '政务公开' });
  });

  it('gives every rejection a stable name and a Chinese message', async () => {
    const error = await readDocument(new Uint8Array(0), 'a.txt').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DocumentRejectedError);
    expect((error as Error).name).toBe('EmptyDocumentError');
    expect((error as Error).message).toMatch(/[\u4e00-\u9fff]/);
  });
});
