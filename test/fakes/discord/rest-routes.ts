import { discordError, type FailureSpec } from './failures.js';
import { guildMember } from './payloads.js';
import { MessageFlag, type FakeState } from './state.js';
import { validateCommands, validateMessage, validateModal } from './validation.js';
import type { FakeInteraction, RecordedFile, WireMessage } from './wire.js';

export interface RouteRequest {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly json: unknown;
  readonly files: readonly RecordedFile[];
}

export type RouteResult =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | FailureSpec;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Interaction callbacks and interaction webhooks are authorized by their token instead. */
  readonly auth: boolean;
  readonly handle: (request: RouteRequest) => RouteResult | Promise<RouteResult>;
}

export interface RestContext {
  readonly state: FakeState;
  readonly gatewayUrl: () => string;
  readonly uploadLimitBytes: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
const noContent: RouteResult = { status: 204 };
const flagsOf = (data: unknown): number => (isRecord(data) && typeof data.flags === 'number' ? data.flags : 0);

/** The REST surface under /api/v10 that discord.js and the adapter use. */
export function restRoutes(ctx: RestContext): Route[] {
  const { state } = ctx;
  const param = (request: RouteRequest, index: number): string => request.params[index] ?? '';

  const interactionMetadata = (interaction: FakeInteraction) => ({
    id: interaction.id,
    type: interaction.type,
    user: state.users.get(interaction.userId),
    authorizing_integration_owners: { '1': interaction.userId },
  });

  const webhookExtra = (interaction: FakeInteraction, flags: number): Partial<WireMessage> => ({
    webhook_id: state.applicationId,
    application_id: state.applicationId,
    interaction_metadata: interactionMetadata(interaction),
    flags,
    ...(interaction.guildId !== undefined && { guild_id: interaction.guildId }),
  });

  const callback = (request: RouteRequest): RouteResult => {
    const interaction = state.interactions.get(param(request, 0));
    if (!interaction || interaction.token !== param(request, 1)) return discordError(10062);
    if (interaction.acknowledged) return discordError(40060);
    const body = isRecord(request.json) ? request.json : {};
    const type = typeof body.type === 'number' ? body.type : -1;
    const data = body.data;
    let resourceMessage: WireMessage | undefined;
    switch (type) {
      case 4: {
        const problem = validateMessage(data, request.files, { uploadLimitBytes: ctx.uploadLimitBytes, creating: true });
        if (problem) return problem;
        const created = state.createBotMessage(interaction.channelId, data, request.files, webhookExtra(interaction, flagsOf(data)));
        if ('failure' in created) return created.failure;
        resourceMessage = created.message;
        break;
      }
      case 5: {
        const created = state.createBotMessage(
          interaction.channelId,
          { content: '' },
          [],
          webhookExtra(interaction, MessageFlag.Loading | (flagsOf(data) & MessageFlag.Ephemeral)),
        );
        if ('failure' in created) return created.failure;
        resourceMessage = created.message;
        break;
      }
      case 6:
      case 7: {
        const target = interaction.messageId === undefined ? undefined : state.messages.get(interaction.messageId);
        if (!target) return discordError(50035);
        if (type === 7) state.editBotMessage(target, data);
        resourceMessage = target;
        break;
      }
      case 9: {
        if (interaction.type === 5) return discordError(50035);
        const problem = validateModal(data);
        if (problem) return problem;
        interaction.modal = data;
        break;
      }
      default:
        return discordError(50035);
    }
    interaction.acknowledged = true;
    interaction.callbacks.push({ type, data });
    if (resourceMessage) {
      interaction.originalMessageId = resourceMessage.id;
      interaction.ephemeral = (resourceMessage.flags & MessageFlag.Ephemeral) !== 0;
    }
    if (request.query.get('with_response') !== 'true') return noContent;
    return ok({
      interaction: {
        id: interaction.id,
        type: interaction.type,
        activity_instance_id: null,
        response_message_id: resourceMessage?.id ?? null,
        response_message_loading: type === 5,
        response_message_ephemeral: interaction.ephemeral,
      },
      resource: { type, ...(resourceMessage && type !== 6 && { message: resourceMessage }) },
    });
  };

  const webhookInteraction = (request: RouteRequest): FakeInteraction | undefined =>
    param(request, 0) === state.applicationId ? state.interactionByToken(param(request, 1)) : undefined;

  const webhookMessage = (request: RouteRequest): { interaction: FakeInteraction; message: WireMessage } | FailureSpec => {
    const interaction = webhookInteraction(request);
    if (!interaction) return discordError(10015);
    const id = param(request, 2) === '@original' ? interaction.originalMessageId : param(request, 2);
    const found = id === undefined ? undefined : state.messages.get(id);
    if (!found) return discordError(10008);
    return { interaction, message: found };
  };

  const channelMessage = (request: RouteRequest): WireMessage | FailureSpec => {
    const found = state.messages.get(param(request, 1));
    return found && found.channel_id === param(request, 0) ? found : discordError(10008);
  };

  return [
    {
      method: 'GET',
      pattern: /^\/gateway\/bot$/,
      auth: true,
      handle: () =>
        ok({
          url: ctx.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
    },
    { method: 'GET', pattern: /^\/gateway$/, auth: false, handle: () => ok({ url: ctx.gatewayUrl() }) },
    { method: 'GET', pattern: /^\/users\/@me$/, auth: true, handle: () => ok({ ...state.bot, verified: true, mfa_enabled: false, flags: 0 }) },
    {
      method: 'GET',
      pattern: /^\/users\/(\d+)$/,
      auth: true,
      handle: (r) => {
        const found = state.users.get(param(r, 0));
        return found ? ok(found) : discordError(10013);
      },
    },
    {
      method: 'POST',
      pattern: /^\/users\/@me\/channels$/,
      auth: true,
      handle: (r) => {
        const recipient = isRecord(r.json) ? r.json.recipient_id : undefined;
        if (typeof recipient !== 'string' || !state.users.has(recipient)) return discordError(10013);
        return ok(state.openDm(recipient));
      },
    },
    {
      method: 'GET',
      pattern: /^\/channels\/(\d+)$/,
      auth: true,
      handle: (r) => {
        const found = state.channels.get(param(r, 0));
        return found ? ok(found) : discordError(10003);
      },
    },
    {
      method: 'POST',
      pattern: /^\/channels\/(\d+)\/messages$/,
      auth: true,
      handle: (r) => {
        if (!state.channels.has(param(r, 0))) return discordError(10003);
        const problem = validateMessage(r.json, r.files, { uploadLimitBytes: ctx.uploadLimitBytes, creating: true });
        if (problem) return problem;
        const created = state.createBotMessage(param(r, 0), r.json, r.files);
        return 'failure' in created ? created.failure : ok(created.message);
      },
    },
    {
      method: 'GET',
      pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
      auth: true,
      handle: (r) => {
        const found = channelMessage(r);
        return 'status' in found ? found : ok(found);
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
      auth: true,
      handle: (r) => {
        const found = channelMessage(r);
        if ('status' in found) return found;
        if (!found.author.bot) return discordError(50005);
        const problem = validateMessage(r.json, [], { uploadLimitBytes: ctx.uploadLimitBytes, creating: false });
        return problem ?? ok(state.editBotMessage(found, r.json));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
      auth: true,
      handle: (r) => {
        const found = channelMessage(r);
        if ('status' in found) return found;
        state.deleteMessage(found);
        return noContent;
      },
    },
    { method: 'POST', pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/, auth: false, handle: callback },
    {
      method: 'POST',
      pattern: /^\/webhooks\/(\d+)\/([^/]+)$/,
      auth: false,
      handle: (r) => {
        const interaction = webhookInteraction(r);
        if (!interaction?.acknowledged) return discordError(10015);
        const problem = validateMessage(r.json, r.files, { uploadLimitBytes: ctx.uploadLimitBytes, creating: true });
        if (problem) return problem;
        const created = state.createBotMessage(interaction.channelId, r.json, r.files, webhookExtra(interaction, flagsOf(r.json)));
        if ('failure' in created) return created.failure;
        return r.query.get('wait') === 'true' ? ok(created.message) : noContent;
      },
    },
    {
      method: 'GET',
      pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      auth: false,
      handle: (r) => {
        const found = webhookMessage(r);
        return 'status' in found ? found : ok(found.message);
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      auth: false,
      handle: (r) => {
        const found = webhookMessage(r);
        if ('status' in found) return found;
        const problem = validateMessage(r.json, r.files, { uploadLimitBytes: ctx.uploadLimitBytes, creating: false });
        return problem ?? ok(state.editBotMessage(found.message, r.json));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      auth: false,
      handle: (r) => {
        const found = webhookMessage(r);
        if ('status' in found) return found;
        state.deleteMessage(found.message);
        return noContent;
      },
    },
    {
      method: 'GET',
      pattern: /^\/applications\/(\d+)\/commands$/,
      auth: true,
      handle: (r) => (param(r, 0) === state.applicationId ? ok(state.commands) : discordError(50035)),
    },
    {
      method: 'PUT',
      pattern: /^\/applications\/(\d+)\/commands$/,
      auth: true,
      handle: (r) => {
        if (param(r, 0) !== state.applicationId) return discordError(50035);
        const problem = validateCommands(r.json);
        return problem ?? ok(state.putCommands(r.json as unknown[]));
      },
    },
    {
      method: 'GET',
      pattern: /^\/guilds\/(\d+)\/members\/(\d+)$/,
      auth: true,
      handle: (r) => {
        const roles = state.guildRoles.get(param(r, 0))?.get(param(r, 1));
        const member = state.users.get(param(r, 1));
        return roles && member ? ok(guildMember(member, roles)) : discordError(10007);
      },
    },
  ];
}
