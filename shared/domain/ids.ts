import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';

useEnglishZodMessages();

/**
 * A ULID: 26 Crockford base-32 characters, sortable by creation time.
 * Submissions, documents and bundles are all identified this way so that keys sort chronologically.
 */
export const IdSchema = z.ulid({ error: '编号应为系统生成的 26 位 ULID' });

/** A ULID string. */
export type Id = z.infer<typeof IdSchema>;

/** Returns a new ULID. */
export function newId(): Id {
  return ulid();
}
