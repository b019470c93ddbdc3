/** A bot command at the very start of a text message ("/find@EchoSoulBot a b"). */
export interface ParsedCommand {
  readonly name: string;
  readonly args: string;
}

// Telegram's own rule for what a client highlights as a command: 1-32 of [A-Za-z0-9_].
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?=\s|$)/;

/**
 * Returns the command, or undefined when the text is not a command for this bot. A command
 * addressed to another bot ("/find@OtherBot") is plain text to us.
 */
export function parseCommand(text: string, botUsername: string): ParsedCommand | undefined {
  const match = COMMAND.exec(text);
  if (match === null) return undefined;
  const [whole, name, addressee] = match;
  if (name === undefined) return undefined;
  if (addressee !== undefined && addressee.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return { name: name.toLowerCase(), args: text.slice(whole.length).trim() };
}
