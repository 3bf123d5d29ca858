// GovBot delegation page. No third-party code: talks to the wallet through EIP-1193 (window.ethereum) and to the
// server with one POST. Everything the page knows comes from the JSON blob in #govbot-data, which the server fills.
(function () {
  'use strict';

  var NONCES_SELECTOR = '0x7ecebe00';   // nonces(address)
  var BALANCE_SELECTOR = '0x70a08231';  // balanceOf(address)
  var DELEGATE_SELECTOR = '0x5c19a95c'; // delegate(address)

  var data = JSON.parse(document.getElementById('govbot-data').textContent);
  var account = null;
  var balance = null; // the connected account's token balance (BigInt), once read

  function $(id) { return document.getElementById(id); }
  function show(id, visible) { $(id).hidden = !visible; }
  function setStatus(text) { $('status').textContent = text || ''; }
  function setError(text) { $('error').textContent = text || ''; show('error', !!text); }

  function pad32(hexNoPrefix) { return ('0'.repeat(64) + hexNoPrefix).slice(-64); }
  function encodeAddressCall(selector, address) { return selector + pad32(address.toLowerCase().replace(/^0x/, '')); }

  function formatUnits(baseUnits, decimals) {
    var value = BigInt(baseUnits);
    var scale = 10n ** BigInt(decimals || 0);
    var whole = value / scale;
    var fraction = (value % scale).toString().padStart(decimals || 0, '0').slice(0, 2).replace(/0+$/, '');
    return whole.toLocaleString('en-US') + (fraction ? '.' + fraction : '');
  }

  function walletError(err) {
    if (err && err.code === 4001) return 'You rejected the request in your wallet.';
    return (err && (err.message || err.reason)) || String(err);
  }

  function render() {
    var dao = data.dao;
    var delegatee = data.delegatee;
    $('dao-name').textContent = dao.name;
    $('delegatee-address').textContent = delegatee.address;
    $('delegatee-name').textContent = delegatee.displayName ? '(' + delegatee.displayName + ')' : '';
    $('delegatee-power').textContent = formatUnits(delegatee.votingPower, dao.decimals) + ' ' + (dao.tokenSymbol || 'votes');
    $('link-expiry').textContent = new Date(data.linkExpiresAt * 1000).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

    var list = $('recent-votes');
    (delegatee.recentVotes || []).forEach(function (vote) {
      var item = document.createElement('li');
      var support = document.createElement('span');
      support.className = 'support';
      support.textContent = vote.support;
      item.appendChild(support);
      item.appendChild(document.createTextNode(' on ' + (vote.title || ('proposal ' + vote.proposalId))));
      if (vote.reason) {
        var reason = document.createElement('span');
        reason.className = 'reason';
        reason.textContent = vote.reason;
        item.appendChild(reason);
      }
      list.appendChild(item);
    });
    show('no-votes', !(delegatee.recentVotes || []).length);
    show('mode-relay', data.relayer);
    show('mode-wallet', !data.relayer);
    show('sign', data.relayer);
    show('send', !data.relayer);
  }

  function ethereum() {
    if (!window.ethereum || typeof window.ethereum.request !== 'function') {
      throw new Error('No browser wallet found. Open this page in a browser with a wallet such as MetaMask, or in your wallet app\'s browser.');
    }
    return window.ethereum;
  }

  async function onRightChain() {
    var chainHex = await ethereum().request({ method: 'eth_chainId' });
    var right = BigInt(chainHex) === BigInt(data.dao.chainId);
    show('switch-chain', !right);
    if (right && account) await readBalance();
    // A relay for an account without tokens is refused by GovBot; delegate() from the wallet stays possible
    // (a delegate chosen before tokens arrive is valid), but the page says plainly that it moves no votes.
    $('sign').disabled = !right || !account || balance === 0n;
    $('send').disabled = !right || !account;
    if (!right) setStatus('Your wallet is on another network (chain ' + BigInt(chainHex) + '); switch to chain ' + data.dao.chainId + ' to continue.');
    return right;
  }

  async function readBalance() {
    var result = await ethereum().request({
      method: 'eth_call',
      params: [{ to: data.dao.token, data: encodeAddressCall(BALANCE_SELECTOR, account) }, 'latest'],
    });
    balance = BigInt(result);
    var symbol = data.dao.tokenSymbol || 'tokens';
    $('holder-balance').textContent = formatUnits(balance.toString(), data.dao.decimals) + ' ' + symbol;
    show('holder-balance-line', true);
    $('no-balance').textContent = balance === 0n
      ? 'This account holds no ' + symbol + ', so it has no votes to delegate. Connect the account that holds your ' + symbol + '.'
      : '';
    show('no-balance', balance === 0n);
  }

  async function connect() {
    setError('');
    try {
      var accounts = await ethereum().request({ method: 'eth_requestAccounts' });
      account = accounts && accounts[0] ? accounts[0].toLowerCase() : null;
      $('account').textContent = account || 'not connected';
      show('connect', !account);
      if (account && await onRightChain()) setStatus('Connected.');
    } catch (err) { setError(walletError(err)); }
  }

  async function switchChain() {
    setError('');
    try {
      await ethereum().request({ method: 'wallet_switchEthereumChain', params: [{ chainId: data.dao.chainIdHex }] });
      if (await onRightChain()) setStatus('Connected.');
    } catch (err) {
      setError(err && err.code === 4902 ? 'Your wallet does not know chain ' + data.dao.chainId + '; add it in your wallet first.' : walletError(err));
    }
  }

  async function readNonce() {
    var result = await ethereum().request({
      method: 'eth_call',
      params: [{ to: data.dao.token, data: encodeAddressCall(NONCES_SELECTOR, account) }, 'latest'],
    });
    return BigInt(result).toString();
  }

  function showTx(hash) {
    $('tx-hash').textContent = hash;
    if (data.explorerTxUrl) $('tx-link').href = data.explorerTxUrl + hash;
    show('result', true);
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // Follows the transaction through the wallet's node until it is mined (or ten minutes pass), so the holder sees
  // the delegation take effect rather than "sent" forever.
  async function watchTx(hash) {
    for (var i = 0; i < 400; i++) {
      var receipt = null;
      try { receipt = await ethereum().request({ method: 'eth_getTransactionReceipt', params: [hash] }); } catch (err) { receipt = null; }
      if (receipt && receipt.blockNumber) {
        if (BigInt(receipt.status) === 1n) {
          setStatus('Confirmed in block ' + BigInt(receipt.blockNumber) + ': your ' + data.dao.name + ' votes now go to ' + data.delegatee.address + '.');
        } else {
          setStatus('');
          setError('The transaction was mined in block ' + BigInt(receipt.blockNumber) + ' but failed; nothing changed. Reload the page and try again.');
        }
        return;
      }
      await sleep(i < 20 ? 500 : 3000);
    }
  }

  async function signAndRelay() {
    setError('');
    $('sign').disabled = true;
    try {
      if (!await onRightChain()) return;
      setStatus('Reading your delegation nonce…');
      var nonce = await readNonce();
      var now = Math.floor(Date.now() / 1000);
      var expiry = String(now + (data.signatureValiditySeconds || 3600));
      var typedData = {
        types: data.typedData.types,
        primaryType: data.typedData.primaryType,
        domain: data.typedData.domain,
        message: { delegatee: data.delegatee.address, nonce: nonce, expiry: expiry },
      };
      setStatus('Sign the delegation in your wallet…');
      var signature = await ethereum().request({ method: 'eth_signTypedData_v4', params: [account, JSON.stringify(typedData)] });
      setStatus('Sending…');
      var response = await fetch(location.origin + location.pathname, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ delegator: account, nonce: nonce, expiry: expiry, signature: signature }),
      });
      var body = await response.json().catch(function () { return {}; });
      if (!response.ok || !body.txHash) {
        var detail = body.errors && body.errors.length ? ' (' + body.errors.join('; ') + ')' : '';
        throw new Error((body.error || ('The server answered ' + response.status)) + detail);
      }
      setStatus('Delegation sent. It takes effect once the transaction is mined…');
      showTx(body.txHash);
      show('sign', false); // done: signing again would only relay a second, identical delegation
      watchTx(body.txHash);
    } catch (err) {
      setStatus('');
      setError(walletError(err));
      show('send', true); // the wallet path still works when relaying does not
      $('send').disabled = !account;
    } finally {
      $('sign').disabled = !account || balance === 0n;
    }
  }

  // A node estimates in the latest block. When a delegate's votes checkpoint was written in that block, delegate()
  // updates it in place there but pushes a new checkpoint slot in the next one, so an exact estimate runs out of gas
  // (seen on anvil, whose eth_sendTransaction fills gas that way). 1.5x, as MetaMask pads contract calls; unused gas is not charged.
  async function gasWithHeadroom(tx) {
    var estimate = BigInt(await ethereum().request({ method: 'eth_estimateGas', params: [tx] }));
    return '0x' + (estimate * 3n / 2n).toString(16);
  }

  // Tells GovBot which transaction the wallet sent, so the chat that asked for this link hears back once it is
  // indexed. Best effort: the delegation itself does not depend on it.
  function reportWalletTx(hash) {
    fetch(location.origin + location.pathname + '/sent', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ delegator: account, txHash: hash }),
    }).catch(function () { });
  }

  async function sendFromWallet() {
    setError('');
    $('send').disabled = true;
    try {
      if (!await onRightChain()) return;
      var tx = { from: account, to: data.dao.token, data: encodeAddressCall(DELEGATE_SELECTOR, data.delegatee.address) };
      tx.gas = await gasWithHeadroom(tx);
      setStatus('Confirm the transaction in your wallet…');
      var hash = await ethereum().request({ method: 'eth_sendTransaction', params: [tx] });
      setStatus('Transaction sent. It takes effect once it is mined…');
      showTx(hash);
      reportWalletTx(hash);
      watchTx(hash);
    } catch (err) {
      setStatus('');
      setError(walletError(err));
    } finally {
      $('send').disabled = !account;
    }
  }

  render();
  $('connect').addEventListener('click', connect);
  $('switch-chain').addEventListener('click', switchChain);
  $('sign').addEventListener('click', signAndRelay);
  $('send').addEventListener('click', sendFromWallet);
  if (window.ethereum && typeof window.ethereum.on === 'function') {
    window.ethereum.on('chainChanged', function () { if (account) onRightChain(); });
    window.ethereum.on('accountsChanged', function (accounts) {
      account = accounts && accounts[0] ? accounts[0].toLowerCase() : null;
      balance = null;
      $('account').textContent = account || 'not connected';
      show('connect', !account);
      show('holder-balance-line', false);
      show('no-balance', false);
      if (account) onRightChain();
    });
  }
})();
