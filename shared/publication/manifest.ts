import * as z from 'zod/mini';
import { DISCLOSURE_ATTRIBUTES } from '../domain/index.js';
import { useEnglishZodMessages } from '../zod-locale.js';
import { BUNDLE_FILE_NAME_PATTERN, FORMAT_VERSION } from './format.js';

useEnglishZodMessages();

/** Role of a file in a bundle. */
export const BundleFileRoleSchema = z.enum(['policy', 'interpretation', 'attachment']);

/** One file of a bundle, as the manifest lists it. */
export const ManifestFileSchema = z.strictObject({
  name: z.string().check(z.regex(BUNDLE_FILE_NAME_PATTERN)),
  role: BundleFileRoleSchema,
  /** The document this file renders (`policy`, `interpretation-1`, `attachment-1`, …). */
  document: z.string().check(z.regex(/^(?:policy|interpretation-[1-9]\d*|attachment-[1-9]\d*)$/)),
  mediaType: z.string().check(z.minLength(1)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  size: z.number().check(z.int(), z.gte(0)),
});

/** One file of a bundle. */
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

const FileNames = z.strictObject({
  html: z.string().check(z.regex(BUNDLE_FILE_NAME_PATTERN)),
  text: z.string().check(z.regex(BUNDLE_FILE_NAME_PATTERN)),
});

/** The 原文 of the bundle, linked to every 解读 of it. */
const PolicyDocumentSchema = z.strictObject({
  id: z.literal('policy'),
  title: z.string().check(z.minLength(1)),
  files: FileNames,
  /** Ids of the 解读 documents of this 原文 (原文 → 解读). */
  interpretations: z.array(z.string()).check(z.minLength(1)),
});

/** One 解读, linked back to its 原文. */
const InterpretationDocumentSchema = z.strictObject({
  id: z.string().check(z.regex(/^interpretation-[1-9]\d*$/)),
  title: z.string().check(z.minLength(1)),
  files: FileNames,
  /** The 原文 it interprets (解读 → 原文). */
  interprets: z.literal('policy'),
});

/** An attachment of the 原文. */
const AttachmentDocumentSchema = z.strictObject({
  id: z.string().check(z.regex(/^attachment-[1-9]\d*$/)),
  title: z.string().check(z.minLength(1)),
  files: FileNames,
  attachedTo: z.literal('policy'),
});

/**
 * `manifest.json`: what a bundle is and everything it contains. Written last, after every file, so
 * a bundle with a manifest is complete. `docs/schemas/manifest.schema.json` is the same contract
 * for portals; a test keeps the two in step.
 */
export const ManifestSchema = z.strictObject({
  formatVersion: z.literal(FORMAT_VERSION),
  bundleId: z.ulid(),
  submissionId: z.ulid(),
  revision: z.number().check(z.int(), z.gte(1)),
  /** 索引号. */
  indexNumber: z.string().check(z.regex(/^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*\/\d{4}-\d{5}$/)),
  /** 标题. */
  title: z.string().check(z.minLength(1)),
  /** 发布机构. */
  issuingBody: z.string().check(z.minLength(1)),
  /** 责任部门 (主动公开基本目录: 责任主体). */
  responsibleDepartment: z.string().check(z.minLength(1)),
  /** 文号, when the document has one. */
  documentNumber: z.optional(z.string().check(z.minLength(1))),
  /** 成文日期. */
  writtenDate: z.iso.date(),
  /** 发布日期: the instant, and the calendar date in China Standard Time. */
  publishedAt: z.iso.datetime({ offset: true }),
  publishedDate: z.iso.date(),
  /** 公开属性 (only the published ones appear in a bundle). */
  disclosure: z.strictObject({
    attribute: z.enum(DISCLOSURE_ATTRIBUTES),
    label: z.string().check(z.minLength(1)),
  }),
  /** 效力状态 at publication; later changes are catalog events, never edits of this file. */
  validity: z.strictObject({ status: z.literal('VALID'), label: z.literal('有效') }),
  /** 主题分类. */
  subjectCategory: z.string().check(z.minLength(1)),
  /** 第一解读人. */
  firstInterpreter: z.strictObject({
    name: z.string().check(z.minLength(1)),
    position: z.string().check(z.minLength(1)),
  }),
  /** 惩戒公示 / 强制性信息披露: names of the persons concerned stay, identifiers do not. */
  privacyExemption: z.optional(
    z.strictObject({
      kind: z.enum(['punishment-publicity', 'mandatory-disclosure']),
      label: z.string().check(z.minLength(1)),
      basis: z.string(),
    }),
  ),
  policy: PolicyDocumentSchema,
  interpretations: z.array(InterpretationDocumentSchema).check(z.minLength(1)),
  attachments: z.array(AttachmentDocumentSchema),
  /** Bundle ids this publication replaces (the replaced ones get a SUPERSEDED catalog event). */
  supersedes: z.array(z.ulid()),
  files: z.array(ManifestFileSchema).check(z.minLength(2)),
});

/** `manifest.json` of a bundle. */
export type BundleManifest = z.infer<typeof ManifestSchema>;

/** Parses manifest bytes; `undefined` when they are not a valid manifest of this format. */
export function parseManifest(bytes: Uint8Array): BundleManifest | undefined {
  try {
    const result = ManifestSchema.safeParse(
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)),
    );
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
