import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';
import { DocumentRefSchema } from './document-ref.js';
import { IdSchema } from './ids.js';
import { IndexNumberSchema } from './index-number.js';
import { SubmissionStatusSchema } from './lifecycle.js';
import { MetadataSchema, PersonSchema } from './metadata.js';

useEnglishZodMessages();

const TimestampSchema = z.iso.datetime({ offset: true, error: '时间格式应形如 2019-07-19T09:00:00Z' });

/**
 * What a drafter provides: who they are, the metadata, and the document references.
 * A full {@link Submission} also satisfies this schema (extra keys are ignored), so the rules
 * can check either.
 */
export const SubmissionDraftSchema = z.object({
  drafter: PersonSchema,
  metadata: MetadataSchema,
  documents: z.array(DocumentRefSchema).check(z.maxLength(50, { error: '一次提交最多 50 个文件' })),
});

/** What a drafter provides. */
export type SubmissionDraft = z.infer<typeof SubmissionDraftSchema>;

/** One revision of a submission: the 原文 and its 解读, released (or registered) together. */
export const SubmissionSchema = z
  .extend(SubmissionDraftSchema, {
    id: IdSchema,
    revision: z.number().check(z.int(), z.gte(1)),
    status: SubmissionStatusSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    /** The rejection (or validation) comment the drafter must act on. */
    returnedComment: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
    /** 索引号, allocated once at publication. */
    indexNumber: z.optional(IndexNumberSchema),
    bundleId: z.optional(IdSchema),
    /** 发布日期, set by Publish. */
    publishedAt: z.optional(TimestampSchema),
  })
  .check(
    z.superRefine((submission, context) => {
      if (Date.parse(submission.updatedAt) < Date.parse(submission.createdAt)) {
        context.addIssue({ code: 'custom', path: ['updatedAt'], message: '更新时间不能早于创建时间' });
      }
      // A publication is only traceable with its 索引号 and 发布日期; both are set by Publish.
      if (submission.status === 'PUBLISHED' || submission.status === 'SUPERSEDED') {
        if (submission.indexNumber === undefined) {
          context.addIssue({ code: 'custom', path: ['indexNumber'], message: '已发布的文件必须有索引号' });
        }
        if (submission.publishedAt === undefined) {
          context.addIssue({ code: 'custom', path: ['publishedAt'], message: '已发布的文件必须有发布日期' });
        }
        if (submission.bundleId === undefined) {
          context.addIssue({ code: 'custom', path: ['bundleId'], message: '已发布的文件必须有发布包编号' });
        }
      }
    }),
  );

/** One revision of a submission. */
export type Submission = z.infer<typeof SubmissionSchema>;
