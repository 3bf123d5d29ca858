// Runs telegram-test-api (the Bot API emulator) for GovBot's integration tests.
// Listens on a free loopback port, prints {"port":N} once ready, and exits when stdin closes, so a test run that
// dies never leaves it behind. Test-only additions, all outside the Bot API paths:
//   GET /_calls     the Bot API methods called so far, per token (to see that getMe, setMyCommands… were tried)
//   GET /_webhooks  the webhooks registered with setWebhook, per token
//   POST /bot<token>/setMyCommands  (telegram-test-api 4.2.1 has none) answers true and keeps the JSON body;
//                               a token containing "nomenu" gets the emulator's usual 500 "not supported" instead
//   GET /_commands  those bodies (commands, scope, language_code), per token
//   POST /bot<token>/sendPhoto  (multipart; telegram-test-api 4.2.1 has no sendPhoto) stored like a sent message:
//                               text = caption, photo = [{file_size}] (the size of the file part, not of attach://…)
// One compatibility fix: the emulator stamps the bot's sent messages with a millisecond date, where the Bot API
// (and Telegram.Bot's parser) use Unix seconds.
'use strict';
const TelegramServer = require('telegram-test-api');

process.on('unhandledRejection', (error) => console.error('emulator: unhandled rejection:', error && error.message));

async function main() {
  const server = new TelegramServer({ host: '127.0.0.1', port: 1, storeTimeout: 600 });
  server.config.port = 0; // the constructor treats 0 as "use 9000"; listen(0) picks a free port

  const addBotMessage = server.addBotMessage.bind(server);
  server.addBotMessage = (message, token) => {
    const sent = addBotMessage(message, token);
    return { ...sent, date: Math.floor(sent.date / 1000) };
  };

  const calls = {};
  const commands = {};
  const app = server.webServer;
  const wrapper = (req, res) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url);
    if (match) (calls[match[1]] = calls[match[1]] || []).push(match[2]);
    if (match && match[2] === 'sendPhoto' && req.method === 'POST') return sendPhoto(req, res, match[1]);
    if (match && match[2] === 'setMyCommands' && req.method === 'POST' && !match[1].includes('nomenu')) return setMyCommands(req, res, match[1]);
    if (req.method === 'GET' && req.url === '/_commands') return res.end(JSON.stringify(commands));
    if (req.method === 'GET' && req.url === '/_calls') return res.end(JSON.stringify(calls));
    if (req.method === 'GET' && req.url === '/_webhooks') return res.end(JSON.stringify(server.webhooks));
    return app(req, res);
  };
  wrapper.settings = app.settings;
  server.webServer = wrapper;

  // Just enough multipart parsing for the fields GovBot sends (chat_id, caption, parse_mode, reply_markup, photo).
  // The photo is either the part named "photo" or, as Telegram.Bot sends it, photo=attach://<name> naming the part
  // that holds the file.
  function sendPhoto(req, res, token) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const parts = multipartParts(req.headers['content-type'], Buffer.concat(chunks));
      const field = (name) => (parts[name] ? parts[name].toString('utf8') : undefined);
      const reference = field('photo');
      const photo = reference && reference.startsWith('attach://') ? parts[reference.slice('attach://'.length)] : parts.photo;
      const message = { chat_id: field('chat_id'), text: field('caption') || '', parse_mode: field('parse_mode'), photo: [{ file_size: photo ? photo.length : 0 }] };
      const markup = field('reply_markup');
      if (markup) message.reply_markup = JSON.parse(markup);
      const sent = server.addBotMessage(message, token);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true, result: sent }));
    });
  }

  function setMyCommands(req, res, token) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      try {
        commands[token] = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.end(JSON.stringify({ ok: true, result: true }));
      } catch (error) {
        res.statusCode = 400;
        res.end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: ' + error.message }));
      }
    });
  }

  // Splits on the boundary itself, so a file whose bytes happen to hold "\r\n--" stays whole.
  function multipartParts(contentType, body) {
    const parts = Object.create(null);
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType || '');
    if (!boundary) return parts;
    const delimiter = Buffer.from('\r\n--' + boundary[1], 'latin1');
    const data = Buffer.concat([Buffer.from('\r\n'), body]); // the first delimiter has no CRLF before it
    let start = data.indexOf(delimiter);
    while (start !== -1) {
      const next = data.indexOf(delimiter, start + delimiter.length);
      if (next === -1) break;
      const part = data.subarray(start + delimiter.length + 2, next); // +2: the CRLF ending the delimiter line
      const headerEnd = part.indexOf('\r\n\r\n');
      const name = /;\s*name="?([^";\r\n]+)"?/i.exec(part.subarray(0, headerEnd).toString('latin1'));
      if (headerEnd !== -1 && name) parts[name[1]] = part.subarray(headerEnd + 4);
      start = next;
    }
    return parts;
  }

  await server.start();
  process.stdout.write(JSON.stringify({ port: server.server.address().port }) + '\n');

  process.stdin.on('end', () => server.stop().finally(() => process.exit(0)));
  process.stdin.resume();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
