// The baseline for `fanout`: the least a server can do to deliver a posted message to every
// connected client with `ws`. It speaks just enough of Parley's protocol for the same load
// generator: `auth` → `ready` on the WebSocket, and POST .../messages → 201 with a message.
// Like Parley's hub, it serializes the message once and builds only the short envelope with
// each connection's own seq per client, so its frames have the same shape and size as
// Parley's `message.created` frames (the message fields come from a Parley reply passed in
// BARE_TEMPLATE). No database, no auth, no validation: this is the ceiling.
//
// Run by bench/fanout.ts as a child process: BARE_PORT=<port> BARE_TEMPLATE=<json>.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.BARE_PORT ?? 0);
const template = JSON.parse(process.env.BARE_TEMPLATE ?? '{}') as Record<string, unknown>;

interface Conn {
  ws: WebSocket;
  seq: number;
}
const conns = new Set<Conn>();
let messageSeq = 0;

function broadcast(text: string, channelId: string): string {
  const message = { ...template, id: randomUUID(), channelId, text, createdAt: new Date().toISOString(), seq: ++messageSeq };
  const payload = JSON.stringify({ message });
  for (const c of conns) {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(`{"type":"message.created","seq":${++c.seq},"data":${payload}}`);
  }
  return JSON.stringify(message);
}

const server = http.createServer((req, res) => {
  const m = /^\/api\/v1\/channels\/([^/]+)\/messages$/.exec(req.url ?? '');
  if (req.method === 'POST' && m) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let text: string;
      try {
        text = String(JSON.parse(Buffer.concat(chunks).toString('utf8')).text);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const body = broadcast(text, m[1]!);
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server, path: '/api/v1/ws', perMessageDeflate: false, maxPayload: 64 * 1024 });
wss.on('connection', (ws) => {
  let conn: Conn | null = null;
  ws.on('message', (data: Buffer) => {
    if (conn) return;
    let f: { type?: string };
    try {
      f = JSON.parse(data.toString('utf8'));
    } catch {
      return ws.close(4003, 'invalid_json');
    }
    if (f.type !== 'auth') return ws.close(4003, 'unauthorized');
    conn = { ws, seq: 0 };
    conns.add(conn);
    ws.send(JSON.stringify({ type: 'ready', connectionId: randomUUID(), userId: randomUUID(), resumed: false, seq: 0 }));
  });
  ws.on('close', () => {
    if (conn) conns.delete(conn);
  });
  ws.on('error', () => ws.terminate());
});

server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  for (const c of conns) c.ws.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
