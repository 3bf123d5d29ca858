// Reads one JSON object per line on stdin: {"publicKey","signature","timestamp","body"(base64)}
// and prints "accept" or "reject" per line, in order, using Discord's own verifyKey.
'use strict';
const readline = require('node:readline');
const { verifyKey } = require('discord-interactions');

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
  for await (const line of lines) {
    if (line.length === 0) continue;
    const c = JSON.parse(line);
    const ok = await verifyKey(Buffer.from(c.body, 'base64'), c.signature, c.timestamp, c.publicKey);
    out.push(ok ? 'accept' : 'reject');
    if (out.length >= 1000) {
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    }
  }
  if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
