import type { AlbumInbound, DeleteInbound, EditInbound, MessageInbound } from './inbound.js';
import type { Outbound } from './outbound.js';
import type { UserRecord } from './ports.js';
import type { UserRef } from './types.js';

/** Sends the bot's own replies, in order with anything else queued for that person. */
export interface Outbox {
  send(to: UserRef, outbounds: readonly Outbound[]): Promise<void>;
}

export type ChatInbound = MessageInbound | AlbumInbound | EditInbound | DeleteInbound;

/** Carries a chat message, edit or deletion to the partner. */
export interface RelayPort {
  handle(user: UserRecord, inbound: ChatInbound): Promise<void>;
}

/** Remembers which platform updates were already handled (at-least-once delivery upstream). */
export interface UpdateLedger {
  /** True the first time a key is seen. */
  firstSeen(key: string): Promise<boolean>;
  /** Lets a redelivery through again after handling failed. */
  forget(key: string): Promise<void>;
}
