export { WebTransport, WEB_CAPABILITIES, WS_PATH } from './web-transport.js';
export type { WebTransportOptions } from './options.js';
export { VisitorTokens, type VisitorIdentity } from './identity.js';
export { PROTOCOL_VERSION, MAX_TEXT, MAX_FRAME_BYTES, parseClientFrame } from './protocol.js';
export type { ClientFrame, ServerFrame, WebContent, WebState } from './protocol.js';
