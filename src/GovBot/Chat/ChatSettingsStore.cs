using Dapper;
using GovBot.Storage;

namespace GovBot.Chat;

public sealed class ChatSettingsStore(SqliteDatabase database, TimeProvider time)
{
    public async Task<string?> DefaultDaoAsync(ChatSurface surface, string chatId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT default_dao FROM chat_settings WHERE surface = @surface AND chat_id = @chatId",
            new { surface = surface.ToString(), chatId }, cancellationToken: cancellationToken));
    }

    public async Task SetDefaultDaoAsync(ChatSurface surface, string chatId, string dao, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_settings (surface, chat_id, default_dao, updated_at) VALUES (@surface, @chatId, @dao, @at)
            ON CONFLICT (surface, chat_id) DO UPDATE SET default_dao = excluded.default_dao, updated_at = excluded.updated_at
            """,
            new { surface = surface.ToString(), chatId, dao, at = time.GetUtcNow().ToString("O") }, cancellationToken: cancellationToken));
    }
}
