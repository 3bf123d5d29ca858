'use strict';
// Signs EIP-712 Delegation typed data with MetaMask's own implementation (@metamask/eth-sig-util signTypedData V4).
// Input: JSON lines on stdin, each {"id", "privateKey": "0x…", and either "typedData": <object or JSON string>
// (GovBot's eth_signTypedData_v4 JSON, signed as-is) or "raw": {name?, version?, chainId, verifyingContract, salt?,
// delegatee, nonce, expiry} (typed data built here, independently of GovBot, the way OZ/Compound define it)}.
// Output: one JSON line per input, {"id", "signature"} or {"id", "error"}.
const readline = require('node:readline');
const { signTypedData, SignTypedDataVersion } = require('@metamask/eth-sig-util');

function fromRaw(raw) {
  const domainTypes = [];
  const domain = {};
  if (raw.name !== undefined) { domainTypes.push({ name: 'name', type: 'string' }); domain.name = raw.name; }
  if (raw.version !== undefined) { domainTypes.push({ name: 'version', type: 'string' }); domain.version = raw.version; }
  domainTypes.push({ name: 'chainId', type: 'uint256' }); domain.chainId = raw.chainId;
  domainTypes.push({ name: 'verifyingContract', type: 'address' }); domain.verifyingContract = raw.verifyingContract;
  if (raw.salt !== undefined) { domainTypes.push({ name: 'salt', type: 'bytes32' }); domain.salt = raw.salt; }
  return {
    types: {
      EIP712Domain: domainTypes,
      Delegation: [
        { name: 'delegatee', type: 'address' },
        { name: 'nonce', type: 'uint256' },
        { name: 'expiry', type: 'uint256' },
      ],
    },
    primaryType: 'Delegation',
    domain,
    message: { delegatee: raw.delegatee, nonce: raw.nonce, expiry: raw.expiry },
  };
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let id = null;
  try {
    const input = JSON.parse(line);
    id = input.id;
    const data = input.raw ? fromRaw(input.raw)
      : typeof input.typedData === 'string' ? JSON.parse(input.typedData) : input.typedData;
    const privateKey = Buffer.from(input.privateKey.replace(/^0x/, ''), 'hex');
    const signature = signTypedData({ privateKey, data, version: SignTypedDataVersion.V4 });
    process.stdout.write(JSON.stringify({ id, signature }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ id, error: String(err && err.message || err) }) + '\n');
  }
});
