/** Sockets built by hand for tests that need one of a known shape. */
import type { UnixSocket } from '../../src/index.js';

/** A listening unix stream socket at `/run/app.sock` (inode 5000, line 2), as `parseTable('unix', …)` gives it. */
export const UNIX_LISTENER: UnixSocket = Object.freeze({
  kind: 'unix',
  pointer: '0000000000000000',
  refcount: 2,
  protocol: 0,
  flags: 0x10000,
  listening: true,
  type: 'stream',
  typeCode: 1,
  state: 'unconnected',
  stateCode: 1,
  inode: '5000',
  path: '/run/app.sock',
  pathBytes: null,
  abstract: false,
  suspicious: [],
  line: 2,
});
