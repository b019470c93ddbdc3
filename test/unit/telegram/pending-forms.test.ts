import { describe, expect, it } from 'vitest';
import { PendingForms } from '../../../src/bots/telegram/pending-forms.js';

describe('PendingForms', () => {
  it('takes a reply to the prompt or a plain text, once, until it expires', () => {
    let now = 0;
    const forms = new PendingForms(1000, 10, () => now);
    forms.open('1', 'report:comment', 50);
    expect(forms.take('1', 49)).toBeUndefined();
    expect(forms.take('1', 50)).toMatchObject({ action: 'report:comment' });
    expect(forms.take('1', undefined)).toBeUndefined();
    forms.open('1', 'feedback', 60);
    expect(forms.take('1', undefined)).toMatchObject({ action: 'feedback' });
    forms.open('1', 'late', 70);
    now = 1000;
    expect(forms.take('1', 70)).toBeUndefined();
    forms.open('2', 'x', 1);
    forms.cancel('2');
    expect(forms.take('2', 1)).toBeUndefined();
  });
});
