using Dapper;
using GovBot.Chat;
using GovBot.Configuration;
using GovBot.Digests;
using GovBot.Storage;

namespace GovBot.Delegation;

/// <summary>
/// Closes the loop of a delegation link: remembers which chat asked for it, records each relay, and once the indexer
/// has written the matching DelegateChanged, queues one "now delegates" message to that chat in the outbox (exactly
/// once: the outbox key is the relay's transaction).
/// </summary>
public sealed class DelegationFollowups(SqliteDatabase database, TimeProvider time)
{
    public async Task RecordLinkAsync(DelegationLink link, ChatSurface surface, string chatId, CancellationToken cancellationToken)
    {
        // Only chats GovBot can post to later; the console and the CLI have no outbox sender.
        if (surface is not (ChatSurface.Telegram or ChatSurface.Discord))
            return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT OR IGNORE INTO delegation_links (link_id, dao, delegatee, surface, chat_id, expires_at, created_at)
            VALUES (@LinkId, @Dao, @Delegatee, @surface, @chatId, @expires, @now)
            """,
            new { link.LinkId, link.Dao, link.Delegatee, surface = surface.ToString(), chatId, expires = link.ExpiresAt.ToUnixTimeSeconds(), now = time.GetUtcNow().ToUnixTimeSeconds() },
            cancellationToken: cancellationToken));
    }

    public async Task RecordRelayAsync(DelegationLink link, string delegator, string txHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT OR IGNORE INTO delegation_relays (tx, link_id, dao, delegator, delegatee, relayed_at)
            VALUES (@tx, @LinkId, @Dao, @delegator, @Delegatee, @now)
            """,
            new { tx = txHash.ToLowerInvariant(), link.LinkId, link.Dao, delegator, link.Delegatee, now = time.GetUtcNow().ToUnixTimeSeconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a transaction the holder's wallet sent (reported by the page), unless the link already reported
    /// <paramref name="maxPerLink"/>. Announced like a relay, and only if the indexed events agree.
    /// </summary>
    public async Task<bool> TryRecordWalletTransactionAsync(DelegationLink link, string delegator, string txHash, int maxPerLink, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var tx = txHash.ToLowerInvariant();
        var reported = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM delegation_relays WHERE link_id = @LinkId AND tx <> @tx", new { link.LinkId, tx }, transaction, cancellationToken: cancellationToken));
        if (reported >= maxPerLink)
            return false;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT OR IGNORE INTO delegation_relays (tx, link_id, dao, delegator, delegatee, relayed_at)
            VALUES (@tx, @LinkId, @Dao, @delegator, @Delegatee, @now)
            """,
            new { tx, link.LinkId, link.Dao, delegator, link.Delegatee, now = time.GetUtcNow().ToUnixTimeSeconds() },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Queues a message for every relay of this DAO whose DelegateChanged is now indexed; returns how many.</summary>
    public async Task<int> AnnounceIndexedAsync(string dao, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ready = (await connection.QueryAsync<(string Tx, string Delegator, string Delegatee, string Surface, string ChatId, long Block)>(new CommandDefinition(
            """
            SELECT r.tx, r.delegator, r.delegatee, l.surface, l.chat_id, d.block
            FROM delegation_relays r
            JOIN delegation_links l ON l.link_id = r.link_id
            JOIN delegate_changes d ON d.dao = r.dao AND d.tx = r.tx AND d.delegator = r.delegator AND d.to_delegate = r.delegatee
            WHERE r.dao = @dao AND r.announced = 0
            """, new { dao }, transaction, cancellationToken: cancellationToken))).ToList();

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var r in ready)
        {
            var reply = new ChatReply("✅ Delegation confirmed",
                $"{EthAddress.Short(r.Delegator)} now delegates its {dao} votes to {EthAddress.Short(r.Delegatee)}.")
            {
                Facts = [new ChatFact("Delegator", r.Delegator, Inline: false), new ChatFact("Delegate", r.Delegatee, Inline: false)],
                Footer = $"{dao} · block {r.Block} · tx {r.Tx}",
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT OR IGNORE INTO outbox (event_key, surface, chat_id, dao, kind, reply_json, next_attempt_at, created_at)
                VALUES (@key, @Surface, @ChatId, @dao, 'delegation', @json, 0, @now)
                """,
                new { key = "delegation:" + r.Tx, r.Surface, r.ChatId, dao, json = ReplyJson.Serialize(reply), now }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE delegation_relays SET announced = 1 WHERE tx = @Tx", new { r.Tx }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return ready.Count;
    }
}
