import { randomUUID } from 'node:crypto';
import { decodeAction, encodeAction, type Action, type Inbound, type UserRef } from '../../core/index.js';
import type { ClientFrame } from './protocol.js';

export type FrameOutcome =
  | { readonly kind: 'inbound'; readonly inbounds: readonly Inbound[]; readonly ackId?: string }
  | { readonly kind: 'typing' }
  | { readonly kind: 'refused'; readonly message: string };

const FEEDBACK_ACTIONS = new Set<Action['type']>(['rate', 'comment']);
const REPORT_ACTIONS = new Set<Action['type']>(['report', 'report_category', 'report_comment', 'block']);

/**
 * Turns one validated client frame (other than hello) into core Inbounds. Update ids are
 * unique per frame, except chat messages: those use the client's message id, so a message
 * the page re-sends after a reconnect is relayed only once (the core's update ledger).
 */
export function frameToInbounds(f: Exclude<ClientFrame, { type: 'hello' }>, userRef: UserRef, now: Date): FrameOutcome {
  const base = (suffix?: string) => ({
    userRef,
    updateId: suffix ?? `${userRef.externalId}:${randomUUID()}`,
    receivedAt: now,
  });
  const command = (name: string, args = ''): Inbound => ({ ...base(), kind: 'command', name, args });
  const button = (action: string, text?: string): Inbound => ({
    ...base(),
    kind: 'button',
    action,
    ...(text !== undefined && text.trim() !== '' ? { text } : {}),
  });
  const one = (inbound: Inbound): FrameOutcome => ({ kind: 'inbound', inbounds: [inbound] });

  switch (f.type) {
    case 'find': {
      const words = (f.interests ?? []).map((i) => i.trim()).filter((i) => i !== '');
      if (f.language) words.push(`lang:${f.language}`);
      return one(command('find', words.join(' ')));
    }
    case 'stop':
      return one(command('stop'));
    case 'next':
      return one(command('next'));
    case 'command':
      return one(command(f.name, (f.args ?? '').trim()));
    case 'typing':
      return { kind: 'typing' };
    case 'message':
      return {
        kind: 'inbound',
        ackId: f.id,
        inbounds: [
          {
            ...base(`msg:${userRef.externalId}:${f.id}`),
            kind: 'message',
            ref: { platform: 'web', chatId: userRef.externalId, messageId: f.id },
            content: { kind: 'text', text: f.text },
          },
        ],
      };
    case 'feedback': {
      const action = decodeAction(f.action);
      if (!action || !FEEDBACK_ACTIONS.has(action.type)) return { kind: 'refused', message: 'That is not a feedback action.' };
      if (action.type === 'comment') return one(button(f.action, f.comment ?? ''));
      const inbounds = [button(f.action)];
      const comment = f.comment?.trim() ?? '';
      if (action.type === 'rate' && comment !== '') {
        inbounds.push(button(encodeAction({ type: 'comment', sessionId: action.sessionId }), comment));
      }
      return { kind: 'inbound', inbounds };
    }
    case 'report': {
      if (f.action === undefined) return one(command('report', (f.text ?? '').trim()));
      const action = decodeAction(f.action);
      if (!action || !REPORT_ACTIONS.has(action.type)) return { kind: 'refused', message: 'That is not a report action.' };
      return one(button(f.action, f.text));
    }
    case 'action': {
      if (!decodeAction(f.action)) return { kind: 'refused', message: 'That button has expired.' };
      return one(button(f.action, f.text));
    }
  }
}
