import type { Log } from './log.js';
import type { MatchingPort, SessionControl } from './pairing.js';
import type {
  FeedbackRepository,
  MessageRepository,
  ModerationRepository,
  ReportRepository,
  SessionRepository,
  UserRepository,
} from './ports.js';

/** Everything the platform-neutral handlers depend on, handed in by main.ts. */
export interface CoreServices {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly messages: MessageRepository;
  readonly feedback: FeedbackRepository;
  readonly reports: ReportRepository;
  readonly moderation: ModerationRepository;
  readonly matching: MatchingPort;
  readonly sessionControl: SessionControl;
  readonly now: () => Date;
  readonly log: Log;
}

/** How long after a chat its partner can still be reported. */
export const REPORT_WINDOW_MS = 24 * 60 * 60 * 1000;
