import { z } from 'zod';

/*
 * The subset of a Telegram Update the adapter reads, validated before mapping so that a
 * malformed update is rejected in one place instead of failing somewhere inside a mapper.
 * Objects are loose: Telegram adds fields every Bot API release, and the unsupported-kind
 * detection looks at keys this schema does not name (dice, invoice, new_chat_members...).
 */

const int = z.int();

export const userSchema = z.looseObject({
  id: int,
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

export const chatSchema = z.looseObject({
  id: int,
  type: z.string(),
});

export const entitySchema = z.looseObject({
  type: z.string(),
  offset: int.nonnegative(),
  length: int.nonnegative(),
  url: z.string().optional(),
  language: z.string().optional(),
});

export const fileSchema = z.looseObject({
  file_id: z.string().min(1),
  file_unique_id: z.string().optional(),
  file_size: z.number().nonnegative().optional(),
  mime_type: z.string().optional(),
  file_name: z.string().optional(),
});

export const photoSizeSchema = fileSchema.extend({
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});

export const locationSchema = z.looseObject({ latitude: z.number(), longitude: z.number() });

export const messageSchema = z.looseObject({
  message_id: int,
  date: int,
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  caption: z.string().optional(),
  caption_entities: z.array(entitySchema).optional(),
  photo: z.array(photoSizeSchema).min(1).optional(),
  video: fileSchema.optional(),
  animation: fileSchema.optional(),
  voice: fileSchema.optional(),
  audio: fileSchema.optional(),
  video_note: fileSchema.optional(),
  sticker: fileSchema.optional(),
  document: fileSchema.optional(),
  location: locationSchema.optional(),
  venue: z.looseObject({ location: locationSchema }).optional(),
  contact: z
    .looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() })
    .optional(),
  poll: z.looseObject({ question: z.string(), options: z.array(z.looseObject({ text: z.string() })) }).optional(),
  media_group_id: z.string().optional(),
  reply_to_message: z.looseObject({ message_id: int }).optional(),
});

export const callbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: userSchema,
  data: z.string().optional(),
  message: z.looseObject({ message_id: int, chat: chatSchema }).optional(),
});

export const chatMemberUpdatedSchema = z.looseObject({
  chat: chatSchema,
  from: userSchema,
  date: int,
  new_chat_member: z.looseObject({ status: z.string() }),
});

export const updateSchema = z.looseObject({
  update_id: int.nonnegative(),
  message: messageSchema.optional(),
  edited_message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
  my_chat_member: chatMemberUpdatedSchema.optional(),
});

export type TgUser = z.infer<typeof userSchema>;
export type TgEntity = z.infer<typeof entitySchema>;
export type TgFile = z.infer<typeof fileSchema>;
export type TgMessage = z.infer<typeof messageSchema>;
export type TgCallbackQuery = z.infer<typeof callbackQuerySchema>;
export type TgChatMemberUpdated = z.infer<typeof chatMemberUpdatedSchema>;
export type TgUpdate = z.infer<typeof updateSchema>;

/** The update kinds the adapter asks Telegram for; everything else is never delivered. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;
