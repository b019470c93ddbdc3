import type { MessageContent, TextEntity } from '../core/index.js';

/*
 * Builds the copy a partner receives from what the sender wrote, field by field. Only
 * fields listed here survive, so a new field an adapter adds to an inbound (a username,
 * a profile link) can never leak into a relayed message by accident.
 */

const cleanEntities = (entities: readonly TextEntity[] | undefined): TextEntity[] | undefined =>
  entities?.map((e) => ({
    type: e.type,
    offset: e.offset,
    length: e.length,
    ...(e.type === 'text_link' && e.url ? { url: e.url } : {}),
    ...(e.type === 'pre' && e.language ? { language: e.language } : {}),
  }));

export function anonymize(content: MessageContent): MessageContent {
  switch (content.kind) {
    case 'text': {
      const entities = cleanEntities(content.entities);
      return { kind: 'text', text: content.text, ...(entities?.length ? { entities } : {}) };
    }
    case 'media': {
      const f = content.file;
      const entities = cleanEntities(content.entities);
      return {
        kind: 'media',
        media: content.media,
        file: {
          platform: f.platform,
          fileId: f.fileId,
          ...(f.url !== undefined ? { url: f.url } : {}),
          ...(f.size !== undefined ? { size: f.size } : {}),
          ...(f.mimeType !== undefined ? { mimeType: f.mimeType } : {}),
          ...(f.fileName !== undefined ? { fileName: f.fileName } : {}),
        },
        ...(content.caption !== undefined ? { caption: content.caption } : {}),
        ...(entities?.length ? { entities } : {}),
      };
    }
    case 'location':
      return { kind: 'location', latitude: content.latitude, longitude: content.longitude };
    case 'contact':
      return {
        kind: 'contact',
        phoneNumber: content.phoneNumber,
        firstName: content.firstName,
        ...(content.lastName !== undefined ? { lastName: content.lastName } : {}),
      };
    case 'poll':
      return { kind: 'poll', question: content.question, options: [...content.options] };
    case 'unsupported':
      return { kind: 'unsupported', description: content.description };
  }
}
