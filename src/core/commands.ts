import { encodeAction, REPORT_CATEGORIES, type ModAction } from './actions.js';
import { isSessionId, parsePreferences } from './command-args.js';
import { UserError } from './errors.js';
import { splitReportReason } from './moderation/args.js';
import type { FiledReport, ModeratorTools, ReportIntake } from './moderation/ports.js';
import * as mt from './moderation/texts.js';
import { notice, type ButtonRow, type Outbound } from './outbound.js';
import type { ReportCategory, SessionRecord, UserRecord } from './ports.js';
import { REPORT_WINDOW_MS, type CoreServices } from './services.js';
import * as t from './texts.js';
import type { SessionId } from './types.js';

export const USER_COMMANDS: readonly { readonly name: string; readonly description: string }[] = [
  { name: 'find', description: 'Find a stranger to chat with' },
  { name: 'next', description: 'Leave this chat and find someone new' },
  { name: 'stop', description: 'Leave the search or the chat' },
  { name: 'report', description: 'Report your current or last partner' },
  { name: 'feedback', description: 'Rate your last chat' },
  { name: 'history', description: 'Your past chats' },
  { name: 'settings', description: 'Default interests and language' },
  { name: 'block', description: 'Never meet your last partner again' },
  { name: 'deletemydata', description: 'Erase your stored data' },
  { name: 'help', description: 'What this is and how it works' },
];

const row = (...buttons: [string, string][]): ButtonRow => buttons.map(([label, action]) => ({ label, action }));

export const searchingButtons = (): ButtonRow[] => [row(['Stop', encodeAction({ type: 'stop' })])];
export const chatButtons = (): ButtonRow[] => [
  row(['Next', encodeAction({ type: 'next' })], ['Stop', encodeAction({ type: 'stop' })]),
];
export const idleButtons = (): ButtonRow[] => [row(['Find a partner', encodeAction({ type: 'find' })])];

/** Offered to both people when a chat ends. */
export function ratingPrompt(sessionId: SessionId): Outbound {
  const stars = [1, 2, 3, 4, 5].map((n) => [`${'★'.repeat(n)}`, encodeAction({ type: 'rate', rating: n, sessionId })] as [string, string]);
  return notice(t.RATE_PROMPT, {
    buttons: [
      row(...stars),
      row(
        ['Report', encodeAction({ type: 'report', sessionId })],
        ['Block', encodeAction({ type: 'block', sessionId })],
        ['Find next', encodeAction({ type: 'find' })],
      ),
    ],
  });
}

export function reportCategoryPrompt(sessionId: SessionId): Outbound {
  return notice(t.REPORT_PICK, {
    buttons: REPORT_CATEGORIES.map((c) => row([c.label, encodeAction({ type: 'report_category', category: c.category, sessionId })])),
  });
}

/** Offered after a free-text /report, so the reporter can file it under a closer category. */
export function reportRefinePrompt(reportId: string): Outbound {
  return notice(mt.REPORT_REFINE, {
    buttons: REPORT_CATEGORIES.filter((c) => c.category !== 'other').map((c) =>
      row([c.label, encodeAction({ type: 'report_recategorize', category: c.category, reportId })]),
    ),
  });
}

/** Asks for an optional note to a report just filed. */
export const reportNoteForm = (reportId: string) =>
  ({ action: encodeAction({ type: 'report_comment', reportId }), title: 'Report', label: 'Anything to add? (optional)' }) as const;

const unknownCommand = (name: string): UserError =>
  new UserError('unknown_command', `I don't know /${name.slice(0, 32)}. Send /help to see what I can do.`);

/** Parts wired in by app.ts from src/core/moderation. */
export interface CommandExtensions {
  /** Files reports with the automatic safety net. */
  readonly reportIntake: ReportIntake;
  /** The /mod command and moderator buttons; without them /mod is an unknown command. */
  readonly moderatorTools?: ModeratorTools;
}

/** Platform-neutral command handlers: each returns the replies for the person who typed it. */
export class Commands {
  constructor(
    private readonly s: CoreServices,
    private readonly ext: CommandExtensions,
  ) {}

  async run(user: UserRecord, name: string, args: string): Promise<Outbound[]> {
    switch (name) {
      case 'start':
        return [notice(t.WELCOME, { buttons: idleButtons() })];
      case 'help':
        return [notice(t.HELP)];
      case 'find':
        return this.find(user, args);
      case 'stop':
        return this.stop(user);
      case 'next':
        return this.next(user, args);
      case 'feedback':
        return this.feedback(user);
      case 'report':
        return this.report(user, args);
      case 'block':
        return this.block(user);
      case 'history':
        return this.history(user, args);
      case 'settings':
        return this.settings(user, args);
      case 'deletemydata':
        return [
          notice(t.DELETE_CONFIRM, {
            buttons: [row(['Yes, erase my data', encodeAction({ type: 'delete_confirm' })], ['Cancel', encodeAction({ type: 'delete_cancel' })])],
          }),
        ];
      case 'mod': {
        // Anyone who is not a moderator gets exactly the unknown-command reply: nothing revealed.
        const tools = this.ext.moderatorTools;
        if (!tools || !(await tools.isModerator(user))) throw unknownCommand(name);
        return tools.run(user, args);
      }
      default:
        throw unknownCommand(name);
    }
  }

  /** A moderator button; for anyone else it looks like any stale or forged button. */
  async moderatorButton(user: UserRecord, action: ModAction): Promise<Outbound[]> {
    const tools = this.ext.moderatorTools;
    if (!tools || !(await tools.isModerator(user))) throw new UserError('bad_arguments', t.BUTTON_EXPIRED);
    return tools.press(user, action);
  }

  /** Stores a report about the partner of `session` and keeps the two apart from now on. */
  fileReport(user: UserRecord, session: SessionRecord, category: ReportCategory, comment: string | null): Promise<FiledReport> {
    return this.ext.reportIntake.file(user, session, category, comment);
  }

  async find(user: UserRecord, args: string): Promise<Outbound[]> {
    const ban = await this.s.moderation.activeBan(user.id);
    if (ban) {
      throw new UserError(
        'banned',
        ban.until
          ? `You are banned from chatting until ${ban.until.toISOString().slice(0, 16).replace('T', ' ')} UTC.`
          : 'You are banned from chatting.',
      );
    }
    if (user.suspendedAt) {
      throw new UserError('suspended', 'Your account is paused while a moderator reviews recent reports. Please check back later.');
    }
    let prefs;
    try {
      prefs = parsePreferences(args);
    } catch (e) {
      if (e instanceof UserError) throw new UserError('bad_arguments', `${e.message}\n${t.USAGE.find ?? ''}`);
      throw e;
    }
    const interests = prefs.given ? prefs.interests : user.interests;
    const language = prefs.given ? prefs.language : user.language;
    if (prefs.given) await this.s.users.setPreferences(user.id, { interests, language });

    const live = await this.s.sessionControl.current(user.id);
    if (live) throw new UserError('already_chatting', "You're already in a chat. /next finds someone new, /stop leaves.");
    const avoid = await this.s.moderation.avoidList(user.id);
    const result = await this.s.matching.search({ userId: user.id, platform: user.ref.platform, interests, language, avoid });
    if (result === 'already_searching') throw new UserError('already_searching', "You're already searching. /stop cancels.");
    if (result === 'already_chatting') throw new UserError('already_chatting', "You're already in a chat. /next finds someone new, /stop leaves.");
    await this.s.users.setStatus(user.id, 'searching');
    return [notice(t.searching(interests, language), { buttons: searchingButtons() })];
  }

  async stop(user: UserRecord): Promise<Outbound[]> {
    const live = await this.s.sessionControl.current(user.id);
    if (live) {
      // The session service tells both sides and offers the rating.
      await this.s.sessionControl.end(live.sessionId, 'stop', user.id);
      return [];
    }
    if (await this.s.matching.cancelSearch(user.id)) {
      await this.s.users.setStatus(user.id, 'offline');
      return [notice(t.SEARCH_STOPPED, { buttons: idleButtons() })];
    }
    throw new UserError('not_in_chat', "You're not searching or chatting right now. Send /find to start.");
  }

  async next(user: UserRecord, args: string): Promise<Outbound[]> {
    const live = await this.s.sessionControl.current(user.id);
    if (live) await this.s.sessionControl.end(live.sessionId, 'next', user.id);
    return this.find(user, args);
  }

  async feedback(user: UserRecord): Promise<Outbound[]> {
    const last = await this.lastSession(user);
    if (!last || !last.endedAt) {
      throw new UserError('nothing_to_rate', last ? 'You can rate the chat once it has ended.' : 'There is no chat to rate yet.');
    }
    if ((await this.s.feedback.ratingOf(last.id, user.id)) !== null) throw new UserError('already_rated', t.ALREADY_RATED);
    return [ratingPrompt(last.id)];
  }

  /** The session a report or block is about: the live one, or the last one within 24 h. */
  async reportableSession(user: UserRecord): Promise<SessionRecord> {
    const live = await this.s.sessionControl.current(user.id);
    const session = live ? await this.s.sessions.get(live.sessionId) : await this.lastSession(user);
    if (!session) throw new UserError('nothing_to_report', "You haven't chatted with anyone yet, so there is nobody to report.");
    const ended = session.endedAt?.getTime();
    if (ended !== undefined && this.s.now().getTime() - ended > REPORT_WINDOW_MS) {
      throw new UserError('nothing_to_report', 'Reports are possible during a chat and up to 24 hours after it.');
    }
    return session;
  }

  async report(user: UserRecord, args: string): Promise<Outbound[]> {
    const session = await this.reportableSession(user);
    if (args.trim() === '') return [reportCategoryPrompt(session.id)];
    // `/report spam links everywhere` names the category; any other text is filed under
    // "other" at once (the reporter meant it) and can be refined with a button.
    const { category, comment } = splitReportReason(args);
    const filed = await this.fileReport(user, session, category ?? 'other', comment.slice(0, 500) || null);
    if (filed.duplicate) {
      // One report per person and chat; what they typed now is added to it instead.
      if (comment && (await this.s.reports.addComment(filed.id, user.id, comment.slice(0, 500)))) return [notice(mt.REPORT_NOTE_SAVED)];
      return [notice(mt.REPORT_ALREADY)];
    }
    if (category === null) return [notice(t.REPORTED), reportRefinePrompt(filed.id)];
    return [comment ? notice(t.REPORTED) : notice(t.REPORTED, { form: reportNoteForm(filed.id) })];
  }

  async block(user: UserRecord): Promise<Outbound[]> {
    const session = await this.lastSession(user);
    if (!session) throw new UserError('not_found', 'There is nobody to block yet.');
    const partner = session.userAId === user.id ? session.userBId : session.userAId;
    await this.s.moderation.block(user.id, partner);
    return [notice(t.BLOCKED)];
  }

  async history(user: UserRecord, args: string): Promise<Outbound[]> {
    const arg = args.trim();
    if (arg === '') return [notice(t.historyList(await this.s.sessions.history(user.id, 10), this.s.now()))];
    if (!isSessionId(arg)) throw new UserError('bad_arguments', t.USAGE.history ?? '');
    const session = await this.s.sessions.get(arg);
    if (!session || (session.userAId !== user.id && session.userBId !== user.id)) {
      throw new UserError('not_found', `I can't find ${arg} among your chats.`);
    }
    const own = await this.s.messages.ownMessages(arg, user.id);
    if (own.length === 0) return [notice(`No retained messages of yours in ${arg}.`)];
    const lines = own.map((m) => `${m.at.toISOString().slice(11, 19)} ${m.text ?? `[${m.kind}]`}`);
    return [notice(`Your messages in ${arg}:\n${lines.join('\n')}`)];
  }

  async settings(user: UserRecord, args: string): Promise<Outbound[]> {
    const arg = args.trim();
    if (arg.toLowerCase() === 'clear') {
      await this.s.users.setPreferences(user.id, { interests: [], language: null });
      return [notice('Your default interests and language were cleared.')];
    }
    if (arg === '') {
      const interests = user.interests.length ? user.interests.join(', ') : 'none';
      return [notice(`Default interests: ${interests}\nLanguage: ${user.language ?? 'any'}\n${t.USAGE.settings ?? ''}`)];
    }
    let prefs;
    try {
      prefs = parsePreferences(arg);
    } catch (e) {
      if (e instanceof UserError) throw new UserError('bad_arguments', `${e.message}\n${t.USAGE.settings ?? ''}`);
      throw e;
    }
    await this.s.users.setPreferences(user.id, { interests: prefs.interests, language: prefs.language });
    return [
      notice(`Saved. Default interests: ${prefs.interests.join(', ') || 'none'}; language: ${prefs.language ?? 'any'}.`),
    ];
  }

  private async lastSession(user: UserRecord): Promise<SessionRecord | null> {
    const fresh = await this.s.users.get(user.id);
    const id = fresh?.lastSessionId ?? user.lastSessionId;
    return id ? this.s.sessions.get(id) : null;
  }
}
