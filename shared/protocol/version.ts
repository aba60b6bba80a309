/**
 * Bumped on any change a peer of the previous version could misread. Both ends send it in the
 * Socket.IO handshake; the server refuses a mismatch with `protocol_mismatch`.
 */
export const PROTOCOL_VERSION = 2;
