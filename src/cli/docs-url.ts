/**
 * Where the command's messages point for more: the documentation in the repository (the package ships the same
 * pages under docs/, for the installed version).
 * @module
 */

/** The docs folder of the repository; a page's URL is this plus its name (`cli.md`, `findings/README.md`). */
export const DOCS_URL = 'https://github.com/procnet/procnet/blob/main/docs/';
