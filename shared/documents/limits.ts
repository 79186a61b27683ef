/** Caps applied to every uploaded document before any parser sees it. */
export interface IntakeLimits {
  /** Largest accepted upload, in bytes. */
  maxBytes: number;
  /** Most entries a DOCX (zip) may contain. */
  maxZipEntries: number;
  /** Largest total uncompressed size of a DOCX, declared or actual, in bytes. */
  maxInflatedBytes: number;
  /** Largest uncompressed/compressed ratio of one DOCX entry (checked once an entry passes 100 KiB). */
  maxInflateRatio: number;
}

/** 20 MiB upload, 500 zip entries, 100 MiB inflated, 100× per entry. */
export const DEFAULT_INTAKE_LIMITS: IntakeLimits = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxZipEntries: 500,
  maxInflatedBytes: 100 * 1024 * 1024,
  maxInflateRatio: 100,
});

/** Merges caller overrides over the defaults, ignoring values that are not positive finite numbers. */
export function resolveLimits(overrides: Partial<IntakeLimits> | undefined): IntakeLimits {
  const limits = { ...DEFAULT_INTAKE_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof IntakeLimits>) {
    const value = overrides?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = value;
  }
  return limits;
}
