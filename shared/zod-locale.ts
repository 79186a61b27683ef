import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * Makes zod's default issue messages English, as they were with zod's classic API.
 *
 * The project's schemas use `zod/mini` (its classic API is not tree-shakable and was most of every
 * Lambda bundle). Mini loads no locale: without one every default message is "Invalid input", and
 * those messages reach operators (environment errors, `gongkai pull`, task input errors). Like
 * classic, this sets English only when no locale was configured, so an explicit `z.config` wins.
 *
 * Every module that defines schemas calls this at its top level. A bare `import './zod-locale.js'`
 * would not do: package.json declares the project free of side effects, so a bundler drops it.
 * Always `import * as z from 'zod/mini'`, never `import { z }`: the named `z` is the whole API as
 * one object, which brings every schema type back into the bundle.
 */
export function useEnglishZodMessages(): void {
  if (z.config().localeError === undefined) z.config(en());
}
