import { decodeAction, encodeAction, isModAction, REPORT_CATEGORIES } from './actions.js';
import { reportNoteForm, type Commands } from './commands.js';
import { UserError } from './errors.js';
import * as mt from './moderation/texts.js';
import { notice, type Outbound } from './outbound.js';
import type { UserRecord } from './ports.js';
import type { CoreServices } from './services.js';
import * as t from './texts.js';

const MAX_COMMENT = 1000;

/** Handles presses of the buttons the core put on its notices, and answers to its forms. */
export class Buttons {
  constructor(
    private readonly s: CoreServices,
    private readonly commands: Commands,
  ) {}

  async press(user: UserRecord, raw: string, text: string | undefined): Promise<Outbound[]> {
    const action = decodeAction(raw);
    if (!action) throw new UserError('bad_arguments', t.BUTTON_EXPIRED);
    if (isModAction(action)) return this.commands.moderatorButton(user, action);
    switch (action.type) {
      case 'find':
        return this.commands.find(user, '');
      case 'next':
        return this.commands.next(user, '');
      case 'stop':
        return this.commands.stop(user);
      case 'rate': {
        await this.ownSession(user, action.sessionId);
        const result = await this.s.feedback.rate(action.sessionId, user.id, action.rating);
        if (result === 'already_rated') return [notice(t.ALREADY_RATED)];
        return [
          notice(t.RATED, {
            form: { action: encodeAction({ type: 'comment', sessionId: action.sessionId }), title: 'Feedback', label: 'Your comment (optional)' },
          }),
        ];
      }
      case 'comment': {
        await this.ownSession(user, action.sessionId);
        const comment = (text ?? '').trim();
        if (comment === '') {
          return [
            notice('Type your comment:', {
              form: { action: encodeAction({ type: 'comment', sessionId: action.sessionId }), title: 'Feedback', label: 'Your comment' },
            }),
          ];
        }
        const saved = await this.s.feedback.comment(action.sessionId, user.id, comment.slice(0, MAX_COMMENT));
        return [notice(saved ? t.COMMENT_SAVED : 'Please rate the chat first, then add a comment.')];
      }
      case 'report': {
        await this.ownSession(user, action.sessionId);
        return this.commands.report(user, '');
      }
      case 'report_category': {
        const session = await this.commands.reportableSession(user);
        if (session.id !== action.sessionId) throw new UserError('nothing_to_report', 'That chat can no longer be reported.');
        const report = await this.commands.fileReport(user, session, action.category, text?.trim().slice(0, MAX_COMMENT) || null);
        if (report.duplicate) return [notice(mt.REPORT_ALREADY)];
        return [notice(t.REPORTED, { form: reportNoteForm(report.id) })];
      }
      case 'report_comment': {
        const note = (text ?? '').trim();
        if (note === '') return [notice(mt.REPORT_NOTE_PROMPT, { form: reportNoteForm(action.reportId) })];
        const saved = await this.s.reports.addComment(action.reportId, user.id, note.slice(0, MAX_COMMENT));
        return [notice(saved ? mt.REPORT_NOTE_SAVED : mt.REPORT_CLOSED)];
      }
      case 'report_recategorize': {
        const saved = await this.s.reports.setCategory(action.reportId, user.id, action.category);
        const label = REPORT_CATEGORIES.find((c) => c.category === action.category)?.label ?? action.category;
        return [notice(saved ? mt.reportRecategorized(label) : mt.REPORT_CLOSED)];
      }
      case 'block': {
        const session = await this.ownSession(user, action.sessionId);
        await this.s.moderation.block(user.id, session.userAId === user.id ? session.userBId : session.userAId);
        return [notice(t.BLOCKED)];
      }
      case 'delete_confirm':
        return this.eraseData(user);
      case 'delete_cancel':
        return [notice(t.DELETE_CANCELLED)];
    }
  }

  private async ownSession(user: UserRecord, sessionId: string) {
    const session = await this.s.sessions.get(sessionId);
    if (!session || (session.userAId !== user.id && session.userBId !== user.id)) {
      throw new UserError('not_found', 'That chat is not one of yours.');
    }
    return session;
  }

  private async eraseData(user: UserRecord): Promise<Outbound[]> {
    const live = await this.s.sessionControl.current(user.id);
    if (live) await this.s.sessionControl.end(live.sessionId, 'data_deleted', user.id);
    await this.s.matching.cancelSearch(user.id);
    await this.s.users.eraseData(user.id);
    return [notice(t.DELETE_DONE)];
  }
}

