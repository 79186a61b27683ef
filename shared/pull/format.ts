import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';
import { PortalFormatError } from './errors.js';

/**
 * What `gongkai pull` reads from the portal API, checked as loosely as the format allows: a minor
 * version only adds optional fields, so unknown fields pass; a major version this reader does not
 * know stops the pull (see `docs/bundle-format.md`). Names are checked separately and strictly
 * (`names.ts`) before they touch the file system.
 */

useEnglishZodMessages();

/** Major version of the bundle format this reader understands. */
export const SUPPORTED_MAJOR_VERSION = 1;

const FormatVersionSchema = z.string().check(z.regex(/^\d+\.\d+$/));

const ValiditySchema = z.enum(['VALID', 'EXPIRED', 'REPEALED']);

/** One change event (`docs/schemas/change-event.schema.json`). */
export const ChangeEventSchema = z.looseObject({
  formatVersion: FormatVersionSchema,
  sequence: z.number().check(z.int(), z.gte(1)),
  eventId: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  bundleId: z.string(),
  at: z.string(),
  validity: ValiditySchema,
  explanation: z.optional(z.string()),
  supersededBy: z.optional(z.string()),
});

/** One change event. */
export type ChangeEvent = z.infer<typeof ChangeEventSchema>;

/** `GET /portal/changes` answer. */
export const ChangesPageSchema = z.looseObject({
  formatVersion: FormatVersionSchema,
  items: z.array(ChangeEventSchema),
  nextCursor: z.number().check(z.int(), z.gte(0)),
});

/** `GET /portal/changes` answer. */
export type ChangesPage = z.infer<typeof ChangesPageSchema>;

/** A file as the manifest lists it. */
export const PulledFileSchema = z.looseObject({
  name: z.string(),
  mediaType: z.optional(z.string()),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  size: z.number().check(z.int(), z.gte(0)),
});

/** The manifest fields the mirror uses (`docs/schemas/manifest.schema.json`). */
export const PulledManifestSchema = z.looseObject({
  formatVersion: FormatVersionSchema,
  bundleId: z.string(),
  indexNumber: z.string(),
  title: z.string(),
  issuingBody: z.string(),
  documentNumber: z.optional(z.string()),
  writtenDate: z.optional(z.string()),
  publishedAt: z.string(),
  subjectCategory: z.optional(z.string()),
  files: z.array(PulledFileSchema).check(z.minLength(1)),
});

/** The manifest fields the mirror uses. */
export type PulledManifest = z.infer<typeof PulledManifestSchema>;

function checkMajorVersion(what: string, formatVersion: string): void {
  const major = Number(formatVersion.split('.')[0]);
  if (major !== SUPPORTED_MAJOR_VERSION) {
    throw new PortalFormatError(what, `format version ${formatVersion} is not ${SUPPORTED_MAJOR_VERSION}.x`);
  }
}

function parseJson<T>(what: string, body: Uint8Array, schema: z.ZodMiniType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new PortalFormatError(what, 'not UTF-8 JSON');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PortalFormatError(
      what,
      `${issue?.path.join('.') || 'value'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  return result.data;
}

/** A change page, its version and every event's version checked. @throws PortalFormatError */
export function parseChangesPage(body: Uint8Array): ChangesPage {
  const page = parseJson('change feed', body, ChangesPageSchema);
  checkMajorVersion('change feed', page.formatVersion);
  for (const event of page.items) checkMajorVersion(`change event ${event.sequence}`, event.formatVersion);
  return page;
}

/** A manifest, its version checked. @throws PortalFormatError */
export function parsePulledManifest(body: Uint8Array, what = 'manifest'): PulledManifest {
  const manifest = parseJson(what, body, PulledManifestSchema);
  checkMajorVersion(what, manifest.formatVersion);
  return manifest;
}
