/** Where documents, work products and published bundles live (S3 in production and locally). */
export interface ObjectStore {
  put(
    key: string,
    body: Uint8Array | string,
    options?: { contentType?: string; cacheControl?: string },
  ): Promise<void>;
  /** The object's bytes, or `undefined` when there is no such key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Size and ETag, or `undefined` when there is no such key. */
  head(key: string): Promise<{ size: number; etag: string | undefined } | undefined>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** A URL a browser can PUT exactly one object of this type and length to, for `expiresInSeconds`. */
  presignPut(
    key: string,
    options: { contentType: string; contentLength: number; expiresInSeconds: number },
  ): Promise<string>;
}
