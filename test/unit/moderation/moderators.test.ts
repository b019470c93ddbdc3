import { describe, expect, it } from 'vitest';
import { ConfiguredModerators } from '../../../src/core/moderation/moderators.js';
import { toNotices } from '../../../src/core/moderation/desk.js';
import { MODERATOR_COMMANDS, MODERATOR_COMMAND } from '../../../src/core/moderation/commands.js';

describe('ConfiguredModerators', () => {
  it('knows the MODERATORS list by platform and id', async () => {
    const d = new ConfiguredModerators([{ platform: 'telegram', externalId: '42' }, { platform: 'discord', externalId: '1234567890' }]);
    expect(await d.isModerator({ platform: 'telegram', externalId: '42' })).toBe(true);
    expect(await d.isModerator({ platform: 'discord', externalId: '42' })).toBe(false);
    expect(await d.isModerator({ platform: 'telegram', externalId: '43' })).toBe(false);
    expect(d.notifiable()).toEqual([{ platform: 'telegram', externalId: '42' }, { platform: 'discord', externalId: '1234567890' }]);
  });

  it('asks the role check for everyone else and fails closed when it throws', async () => {
    const asked: string[] = [];
    const d = new ConfiguredModerators([], (ref) => {
      asked.push(ref.externalId);
      if (ref.externalId === 'boom') return Promise.reject(new Error('REST down'));
      return Promise.resolve(ref.platform === 'discord' && ref.externalId === '777');
    });
    expect(await d.isModerator({ platform: 'discord', externalId: '777' })).toBe(true);
    expect(await d.isModerator({ platform: 'discord', externalId: '778' })).toBe(false);
    expect(await d.isModerator({ platform: 'discord', externalId: 'boom' })).toBe(false);
    expect(asked).toEqual(['777', '778', 'boom']);
    // Role holders cannot be enumerated, so only the list is notified.
    expect(d.notifiable()).toEqual([]);
  });

  it('has nobody by role when no check is given', async () => {
    expect(await new ConfiguredModerators([]).isModerator({ platform: 'discord', externalId: '1' })).toBe(false);
  });
});

describe('moderator views', () => {
  it('split long text into notices under the Telegram limit, buttons on the last', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(3, '0')} ${'x'.repeat(40)}`);
    const buttons = [[{ label: 'Dismiss', action: 'mod:dismiss:x' }]];
    const out = toNotices(lines, buttons);
    expect(out.length).toBeGreaterThan(3);
    for (const o of out) {
      if (o.kind !== 'notice') throw new Error('not a notice');
      expect(o.text.length).toBeLessThanOrEqual(3500);
    }
    expect(out.map((o) => (o.kind === 'notice' ? o.text : '')).join('\n')).toBe(lines.join('\n'));
    expect(out.map((o) => (o.kind === 'notice' ? o.buttons : undefined))).toEqual([...Array.from({ length: out.length - 1 }, () => undefined), buttons]);
    expect(toNotices([])).toEqual([{ kind: 'notice', text: '' }]);
  });

  it('describe the /mod subcommands within Discord limits', () => {
    expect(MODERATOR_COMMAND.name).toBe('mod');
    const names = MODERATOR_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of MODERATOR_COMMANDS) {
      expect(c.name).toMatch(/^[a-z]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const a of c.args) {
        expect(a.name).toMatch(/^[a-z]{1,32}$/);
        expect(a.description.length).toBeLessThanOrEqual(100);
      }
      // Required options come first (a Discord rule), so the text form stays positional.
      const firstOptional = c.args.findIndex((a) => !a.required);
      if (firstOptional >= 0) expect(c.args.slice(firstOptional).every((a) => !a.required)).toBe(true);
    }
  });
});
