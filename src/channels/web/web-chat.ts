import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { View } from '../../cards/views.js';
import type { ChatRequest, ChatUser, MessageRef } from '../../domain/index.js';
import { AppError } from '../../domain/index.js';
import { readJson, sendJson, stringField } from '../../http/http-helpers.js';
import { isLoopbackHost } from '../../domain/loopback.js';
import { answersInPlace } from '../../conversation/answer-placement.js';
import type { ChannelPort } from '../../conversation/channel-port.js';
import type { Conversation, Conversations } from '../../conversation/conversation.js';
import { workingView } from '../../conversation/working-view.js';
import type { RouteHandler } from '../../http/http-server.js';
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import type { WebMessage, WebMessageStore } from '../../store/web-message-store.js';

export interface WebChatOptions {
  conversations: Conversations;
  messages: WebMessageStore;
  /** The "who am I" picker's users: the sandbox's users. */
  users: readonly ChatUser[];
  renderCard: (view: View) => Record<string, unknown>;
  now?: () => Date;
  logger?: Logger;
  /** Server-sent-event streams open at once, per room and in all (each holds a socket). */
  maxStreamsPerRoom?: number;
  maxStreams?: number;
}

const ROOM = /^[\w-]{1,64}$/;
/**
 * Enough for every tab of the people on one machine; an open stream holds a file descriptor, and
 * about 20,000 used up the process's.
 */
const MAX_STREAMS_PER_ROOM = 100;
const MAX_STREAMS = 1_000;
/** The room the page opens without `?room=`. */
const DEFAULT_ROOM = 'ops';
const PUBLIC = fileURLToPath(new URL('./public/', import.meta.url));
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: `${PUBLIC}index.html`, type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: `${PUBLIC}app.js`, type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: `${PUBLIC}app.css`, type: 'text/css; charset=utf-8' },
  '/assets/adaptivecards.js': {
    file: createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

/**
 * The local web chat (the default channel): a page that renders the bot's Adaptive Cards, and a
 * small JSON + Server-Sent Events API. It translates only: requests go to the same command
 * registry as Teams and Slack; answers come back as cards that update in place.
 */
export class WebChat {
  private readonly listeners = new Map<string, Set<ServerResponse>>();
  private streams = 0;
  private readonly now: () => Date;
  private readonly log: Logger;
  private readonly talk: Conversation;

  constructor(private readonly o: WebChatOptions) {
    this.now = o.now ?? (() => new Date());
    this.log = o.logger ?? silentLogger;
    this.talk = o.conversations.attach(this.port);
  }

  /** The conversation core's way to the page: stored messages, pushed to the room's streams. */
  readonly port: ChannelPort = {
    platform: 'web',
    post: async (target, view) => {
      const conversationId = String(target.conversationId);
      const m = await this.post({ conversationId, author: 'bot', card: this.o.renderCard(view) });
      return webRef(m.id);
    },
    update: async (ref, view) => {
      const id = ref.messageId;
      if (typeof id !== 'string') return;
      const updated = await this.o.messages.updateCard(id, this.o.renderCard(view()), this.now());
      if (updated) this.broadcast(updated.conversationId, 'update', updated);
    },
    // The store is local: an update that failed is not worth trying again at once.
    classifyError: () => undefined,
  };

  /** Posts a view nobody asked for (an alert) in the default room. */
  async announce(view: View): Promise<void> {
    await this.post({ conversationId: DEFAULT_ROOM, author: 'bot', card: this.o.renderCard(view) });
  }

  readonly routes: RouteHandler = async (req, res, url) => {
    const asset = ASSETS[url.pathname];
    if (asset && req.method === 'GET') {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache' });
      res.end(await readFile(asset.file));
      return true;
    }
    if (!url.pathname.startsWith('/web/api/')) return false;
    refuseCrossSite(req);
    const route = `${req.method} ${url.pathname.slice('/web/api'.length)}`;
    switch (route) {
      case 'GET /session':
        sendJson(res, 200, { users: this.o.users.map((u) => ({ id: u.id, name: u.name })) });
        return true;
      case 'GET /history':
        sendJson(res, 200, { messages: await this.o.messages.history(room(url.searchParams.get('room'))) });
        return true;
      case 'GET /events':
        this.subscribe(room(url.searchParams.get('room')), req, res);
        return true;
      case 'POST /messages':
        sendJson(res, 202, await this.onMessage(await readJson(req)));
        return true;
      case 'POST /actions':
        sendJson(res, 202, await this.onAction(await readJson(req)));
        return true;
      default:
        sendJson(res, 404, { error: { code: 'not_found', message: 'No such API.' } });
        return true;
    }
  };

  /** A typed message: shown at once, answered by a "working" card that the answer replaces. */
  private async onMessage(body: Record<string, unknown>): Promise<{ messageId: string }> {
    const conversationId = room(body.room);
    const user = this.user(body.userId);
    const text = stringField(body, 'text', 4000);
    await this.post({ conversationId, author: user.id, text });
    const placeholder = await this.postWorking(conversationId, text);
    const request: ChatRequest = { platform: 'web', user, conversationId, text };
    void this.talk
      .command({ conversationId }, request, webRef(placeholder.id))
      .catch((e: unknown) =>
        this.log.error('web command failed', { error: e instanceof Error ? e.stack : String(e) }),
      );
    return { messageId: placeholder.id };
  }

  /** A card button: answered on the same card for in-place verbs, else in a new message. */
  private async onAction(body: Record<string, unknown>): Promise<{ messageId: string }> {
    const conversationId = room(body.room);
    const user = this.user(body.userId);
    const verb = stringField(body, 'verb', 100);
    const data = body.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : {};
    const onCard = typeof body.messageId === 'string' ? body.messageId : '';
    // The answer replaces the pressed card only if that card is in this room and carries this very
    // button: otherwise anyone could overwrite any card (a pending approval in another room).
    const pressed = onCard ? await this.o.messages.get(onCard) : undefined;
    const inPlace =
      answersInPlace(verb) &&
      pressed?.conversationId === conversationId &&
      carriesButton(pressed.card, verb, data);
    const messageId = inPlace ? onCard : (await this.postWorking(conversationId, `${user.name}: ${verb}`)).id;
    const request: ChatRequest = { platform: 'web', user, conversationId, action: { verb, data } };
    void this.talk
      .press(
        { conversationId },
        request,
        inPlace ? { pressed: webRef(onCard) } : { placeholder: webRef(messageId) },
      )
      .catch((e: unknown) =>
        this.log.error('web action failed', { error: e instanceof Error ? e.stack : String(e) }),
      );
    return { messageId };
  }

  /** The card that acknowledges at once; the answer replaces it. */
  private postWorking(conversationId: string, text: string): Promise<WebMessage> {
    return this.post({
      conversationId,
      author: 'bot',
      card: this.o.renderCard(workingView(text)),
    });
  }

  private async post(
    m: Pick<WebMessage, 'conversationId' | 'author' | 'text' | 'card'>,
  ): Promise<WebMessage> {
    const at = this.now().toISOString();
    const message: WebMessage = { id: randomUUID(), ...m, createdAt: at, updatedAt: at };
    await this.o.messages.add(message);
    this.broadcast(message.conversationId, 'message', message);
    return message;
  }

  private user(id: unknown): ChatUser {
    const user = this.o.users.find((u) => u.id === id);
    if (!user) throw new AppError('auth.unknown_user', 'Pick who you are first.', { statusCode: 403 });
    return user;
  }

  private subscribe(conversationId: string, req: IncomingMessage, res: ServerResponse): void {
    const inRoom = this.listeners.get(conversationId)?.size ?? 0;
    if (
      inRoom >= (this.o.maxStreamsPerRoom ?? MAX_STREAMS_PER_ROOM) ||
      this.streams >= (this.o.maxStreams ?? MAX_STREAMS)
    ) {
      res.setHeader('retry-after', '30');
      sendJson(res, 503, { error: { code: 'web.too_many_streams', message: 'Too many pages are open.' } });
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const set = this.listeners.get(conversationId) ?? new Set<ServerResponse>();
    set.add(res);
    this.streams++;
    this.listeners.set(conversationId, set);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      if (set.delete(res)) this.streams--;
      if (set.size === 0 && this.listeners.get(conversationId) === set) this.listeners.delete(conversationId);
    });
  }

  private broadcast(conversationId: string, event: 'message' | 'update', message: WebMessage): void {
    const payload = `event: ${event}\ndata: ${JSON.stringify(message)}\n\n`;
    for (const res of this.listeners.get(conversationId) ?? []) res.write(payload);
  }
}

/**
 * The web chat has no sign-in: a page on another origin (another local port, or a site whose
 * name resolves to 127.0.0.1) must not make the browser act as the picked user. Browsers say
 * where a request comes from (Sec-Fetch-Site, Origin), and a cross-site form cannot send JSON
 * without a CORS preflight, which this API never grants.
 */
function refuseCrossSite(req: IncomingMessage): void {
  const host = req.headers.host ?? '';
  const refuse = (why: string) => new AppError('auth.cross_site', `Refused: ${why}.`, { statusCode: 403 });
  let hostname = '';
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    // no usable Host: refused below
  }
  if (!isLoopbackHost(hostname)) throw refuse('the web chat answers only on this machine’s own address');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw refuse('a cross-site request');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) throw refuse('a request from another origin');
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new AppError('validation.content_type', 'Send JSON (content-type: application/json).', {
        statusCode: 415,
      });
    }
  }
}

/**
 * Whether a stored card has an Action.Execute with this verb whose data all match the request's
 * (the request may add the card's inputs, such as the typed name).
 */
function carriesButton(card: unknown, verb: string, data: Record<string, unknown>): boolean {
  if (!card || typeof card !== 'object') return false;
  if (Array.isArray(card)) return card.some((c) => carriesButton(c, verb, data));
  const o = card as Record<string, unknown>;
  if (o.type === 'Action.Execute' && o.verb === verb) {
    const own = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
    if (Object.entries(own).every(([k, v]) => data[k] === v)) return true;
  }
  return Object.values(o).some((v) => typeof v === 'object' && carriesButton(v, verb, data));
}

/** A web message is keyed by its id. */
function webRef(messageId: string): MessageRef {
  return { key: messageId, messageId };
}

function room(value: unknown): string {
  const r = typeof value === 'string' && value ? value : DEFAULT_ROOM;
  if (!ROOM.test(r))
    throw new AppError('validation.room', 'Room names are letters, digits, - and _.', { statusCode: 400 });
  return r;
}
