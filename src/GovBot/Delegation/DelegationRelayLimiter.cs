using System.Globalization;
using System.Numerics;
using Dapper;
using GovBot.Configuration;
using GovBot.Storage;

namespace GovBot.Delegation;

/// <summary>A relay slot: <see cref="Id"/> when taken, otherwise the refusal and the status to answer with.</summary>
public sealed record RelaySlot(long? Id, int Status, string Refusal)
{
    public bool Acquired => Id is not null;
}

/// <summary>
/// Caps what one link and one delegator can make the relayer spend on gas, and refuses to relay one signature again
/// while the first relay of it may still be pending. Kept in SQLite, so a restart does not reset an abuser's count and
/// instances sharing the database share the limits.
/// </summary>
public sealed class DelegationRelayLimiter
{
    public const int DefaultPerLink = 3;
    public const int DefaultPerDelegatorPerWindow = 5;
    public static readonly TimeSpan DefaultDelegatorWindow = TimeSpan.FromHours(1);

    /// <summary>How long a relayed signature blocks a second relay of it: long enough for a mainnet transaction to be mined, short enough that a dropped one can be retried.</summary>
    public static readonly TimeSpan PendingSignatureWindow = TimeSpan.FromMinutes(10);

    /// <summary>Slots are kept this long; no link lives longer than this (see <see cref="DelegationLinkSigner.MaxValidity"/>).</summary>
    private static readonly TimeSpan Retention = DelegationLinkSigner.MaxValidity;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly int _perLink;
    private readonly int _perDelegator;
    private readonly TimeSpan _delegatorWindow;

    // Serialises this process's check-and-insert; BEGIN IMMEDIATE does the same across processes sharing the file.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DelegationRelayLimiter(SqliteDatabase database, TimeProvider time, int perLink = DefaultPerLink, int perDelegatorPerWindow = DefaultPerDelegatorPerWindow, TimeSpan? delegatorWindow = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perLink, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDelegatorPerWindow, 1);
        _database = database;
        _time = time;
        _perLink = perLink;
        _perDelegator = perDelegatorPerWindow;
        _delegatorWindow = delegatorWindow ?? DefaultDelegatorWindow;
    }

    /// <summary>Takes one relay slot for the link, the delegator and this signature's nonce, or says which limit is reached. Call only once the policy accepted.</summary>
    public async Task<RelaySlot> TryAcquireAsync(DelegationLink link, string delegator, BigInteger nonce, CancellationToken cancellationToken)
    {
        var key = EthAddress.TryNormalize(delegator, out var normalized) ? normalized : delegator;
        var nonceText = nonce.ToString(CultureInfo.InvariantCulture);
        var now = _time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeSeconds();

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM delegation_relay_slots WHERE used_at <= @before",
                new { before = (now - Retention).ToUnixTimeSeconds() }, transaction, cancellationToken: cancellationToken));

            var pending = (await connection.QueryAsync<(long UsedAt, string? Tx)>(new CommandDefinition(
                """
                SELECT used_at, tx FROM delegation_relay_slots
                WHERE token = @Token AND delegator = @key AND nonce = @nonceText AND used_at > @since
                ORDER BY used_at DESC LIMIT 1
                """,
                new { link.Token, key, nonceText, since = (now - PendingSignatureWindow).ToUnixTimeSeconds() }, transaction, cancellationToken: cancellationToken))).ToList();
            if (pending.Count > 0)
            {
                var first = pending[0];
                var sent = first.Tx is null ? "" : $" (transaction {first.Tx})";
                return new RelaySlot(null, 409, $"this signature was already relayed {Math.Max(0, nowSeconds - first.UsedAt)} s ago{sent}; wait for it to be mined instead of sending it again");
            }

            var linkUses = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM delegation_relay_slots WHERE link_id = @LinkId", new { link.LinkId }, transaction, cancellationToken: cancellationToken));
            if (linkUses >= _perLink)
                return new RelaySlot(null, 429, $"this link has already been used for {_perLink} relayed delegations; ask the bot for a new link or send the transaction from your wallet");

            var windowStart = (now - _delegatorWindow).ToUnixTimeSeconds();
            var delegatorUses = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT used_at FROM delegation_relay_slots WHERE delegator = @key AND used_at > @windowStart ORDER BY used_at",
                new { key, windowStart }, transaction, cancellationToken: cancellationToken))).ToList();
            if (delegatorUses.Count >= _perDelegator)
            {
                var retryAt = DateTimeOffset.FromUnixTimeSeconds(delegatorUses[0]) + _delegatorWindow;
                var minutes = Math.Max(1, (int)Math.Ceiling((retryAt - now).TotalMinutes));
                return new RelaySlot(null, 429, $"{EthAddress.Short(key)} has had {_perDelegator} delegations relayed in the last {(int)_delegatorWindow.TotalMinutes} minutes; try again in {minutes} min or send the transaction from your wallet");
            }

            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO delegation_relay_slots (link_id, delegator, token, nonce, used_at) VALUES (@LinkId, @key, @Token, @nonceText, @nowSeconds);
                SELECT last_insert_rowid();
                """,
                new { link.LinkId, key, link.Token, nonceText, nowSeconds }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return new RelaySlot(id, 200, "");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Notes the transaction a slot was used for, so a second relay of the same signature can name it.</summary>
    public async Task RecordSentAsync(RelaySlot slot, string txHash, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE delegation_relay_slots SET tx = @txHash WHERE id = @Id", new { txHash, slot.Id }, cancellationToken: cancellationToken));
    }

    /// <summary>Gives a slot back when the node refused the transaction, so nothing was sent and nothing should count.</summary>
    public async Task ReleaseAsync(RelaySlot slot, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM delegation_relay_slots WHERE id = @Id", new { slot.Id }, cancellationToken: cancellationToken));
    }
}
