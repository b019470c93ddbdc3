import { createHash } from 'node:crypto';
import { LruMap } from '../../core/lru-map.js';

/** Discord's limit for a component's or modal's custom_id. */
export const CUSTOM_ID_MAX = 100;

/** custom_ids the adapter writes itself start with this; core actions that do are mapped. */
const RESERVED = '~';
const MAPPED_ACTION = '~a:';
const FORM_BY_ACTION = '~f:';
const FORM_BY_DIGEST = '~F:';

export interface FormSpec {
  readonly action: string;
  readonly title: string;
  readonly label: string;
}

export type DecodedCustomId =
  | { readonly kind: 'action'; readonly action: string }
  | { readonly kind: 'form'; readonly form: FormSpec }
  | { readonly kind: 'expired' };

/** Used when a form button outlives the process that remembered its title and label. */
export const FALLBACK_FORM_TEXT = { title: 'EchoSoul', label: 'Your answer' } as const;

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 24);

/**
 * Core actions are opaque strings of any length; Discord custom_ids are at most 100
 * characters and unique within a message. Short actions travel as they are (so buttons keep
 * working across restarts); long or colliding ones are replaced by a digest remembered here.
 */
export class ActionCodec {
  private readonly mappedActions: LruMap<string, string>;
  private readonly formsByAction: LruMap<string, FormSpec>;
  private readonly formsByDigest: LruMap<string, FormSpec>;

  constructor(capacity = 20_000) {
    this.mappedActions = new LruMap(capacity);
    this.formsByAction = new LruMap(capacity);
    this.formsByDigest = new LruMap(capacity);
  }

  /** `taken` holds the ids already used in the same message or modal. */
  encodeAction(action: string, taken: Set<string> = new Set()): string {
    if (action.length <= CUSTOM_ID_MAX && !action.startsWith(RESERVED) && !taken.has(action)) {
      taken.add(action);
      return action;
    }
    const id = this.unique((salt) => `${MAPPED_ACTION}${digest(`${action}\u0000${salt}`)}`, taken);
    this.mappedActions.set(id, action);
    return id;
  }

  encodeFormOpener(form: FormSpec, taken: Set<string> = new Set()): string {
    const direct = `${FORM_BY_ACTION}${form.action}`;
    if (direct.length <= CUSTOM_ID_MAX && !taken.has(direct)) {
      this.formsByAction.set(form.action, form);
      taken.add(direct);
      return direct;
    }
    const id = this.unique((salt) => `${FORM_BY_DIGEST}${digest(`${form.action}\u0000${form.title}\u0000${salt}`)}`, taken);
    this.formsByDigest.set(id, form);
    return id;
  }

  decode(customId: string): DecodedCustomId {
    if (!customId.startsWith(RESERVED)) return { kind: 'action', action: customId };
    if (customId.startsWith(MAPPED_ACTION)) {
      const action = this.mappedActions.get(customId);
      return action === undefined ? { kind: 'expired' } : { kind: 'action', action };
    }
    if (customId.startsWith(FORM_BY_ACTION)) {
      const action = customId.slice(FORM_BY_ACTION.length);
      return { kind: 'form', form: this.formsByAction.get(action) ?? { action, ...FALLBACK_FORM_TEXT } };
    }
    if (customId.startsWith(FORM_BY_DIGEST)) {
      const form = this.formsByDigest.get(customId);
      return form === undefined ? { kind: 'expired' } : { kind: 'form', form };
    }
    return { kind: 'expired' };
  }

  private unique(make: (salt: number) => string, taken: Set<string>): string {
    let salt = 0;
    let id = make(salt);
    while (taken.has(id)) id = make(++salt);
    taken.add(id);
    return id;
  }
}
