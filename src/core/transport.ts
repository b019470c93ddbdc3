import type { InboundHandler } from './inbound.js';
import type { Outbound } from './outbound.js';
import type { ContentKind, MessageRef, Platform, UserRef } from './types.js';

export interface TransportCapabilities {
  /** Content kinds this platform can show to a recipient. */
  readonly kinds: ReadonlySet<ContentKind>;
  /** Longest text one message may carry. */
  readonly maxTextLength: number;
  readonly canEdit: boolean;
  readonly canDelete: boolean;
}

/**
 * The port every chat platform implements. Failures are thrown as DeliveryError
 * carrying the platform code.
 */
export interface Transport {
  readonly platform: Platform;
  readonly capabilities: TransportCapabilities;
  start(): Promise<void>;
  stop(): Promise<void>;
  onInbound(handler: InboundHandler): void;
  /** Delivers and returns where the copies live (several for an album). */
  send(to: UserRef, outbound: Outbound): Promise<MessageRef[]>;
  edit(ref: MessageRef, outbound: Outbound): Promise<void>;
  delete(ref: MessageRef): Promise<void>;
}
