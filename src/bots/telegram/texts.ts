/** Shown when a button refers to an action the adapter no longer remembers. */
export const EXPIRED_BUTTON_TEXT = 'This button has expired.';

export const groupHintText = (botUsername: string): string =>
  `I only chat in private. Message me here: https://t.me/${botUsername}`;
