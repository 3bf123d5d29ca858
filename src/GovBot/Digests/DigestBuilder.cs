using System.Text;
using Dapper;
using GovBot.Chat;
using GovBot.Chat.Commands;
using GovBot.Governance;
using GovBot.Storage;

namespace GovBot.Digests;

public sealed record DigestChange(string ProposalId, string Title, string Kind, DateTimeOffset At);

/// <summary>A DAO at a glance: what is open, what changed since the last digest, what ends within a day.</summary>
public sealed record Digest(
    string Dao,
    DateTimeOffset GeneratedAt,
    DateTimeOffset Since,
    IReadOnlyList<ProposalView> Open,
    IReadOnlyList<DigestChange> Changes,
    IReadOnlyList<ProposalView> EndingSoon);

/// <summary>Builds digests from the index, the recorded events and live state; the scheduler, /digest and the CLI share it.</summary>
public sealed class DigestBuilder(GovernanceService governance, SqliteDatabase database, TimeProvider time)
{
    private const int MaxItems = 10;
    public static readonly TimeSpan EndingWindow = TimeSpan.FromHours(24);

    public async Task<Digest> BuildAsync(string dao, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var name = governance.Dao(dao).Name;
        var views = await governance.ListAsync(name, state: null, 100, cancellationToken);
        return await BuildAsync(name, since, views, cancellationToken);
    }

    /// <summary>With the DAO's proposal views already read (the scheduler reads them once for every chat due at once).</summary>
    public async Task<Digest> BuildAsync(string dao, DateTimeOffset since, IReadOnlyList<ProposalView> views, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = views.Where(v => v.State is ProposalState.Active or ProposalState.Pending).OrderBy(v => v.EndsAt ?? DateTimeOffset.MaxValue).ToList();
        var ending = open.Where(v => v.State == ProposalState.Active && v.EndsAt is { } end && end > now && end - now <= EndingWindow).ToList();
        await using var connection = await database.OpenAsync(cancellationToken);
        var changes = (await connection.QueryAsync<(string ProposalId, string Title, string Kind, long At)>(new CommandDefinition(
                "SELECT proposal_id, title, kind, detected_at FROM notification_events WHERE dao = @dao AND announced = 1 AND detected_at > @since " +
                "ORDER BY detected_at, id LIMIT 50",
                new { dao, since = since.ToUnixTimeSeconds() }, cancellationToken: cancellationToken)))
            .Select(r => new DigestChange(r.ProposalId, r.Title, r.Kind, DateTimeOffset.FromUnixTimeSeconds(r.At)))
            .ToList();
        return new Digest(dao, now, since, open, changes, ending);
    }

    /// <param name="prose">The model's opening paragraph (<see cref="DigestWriter"/>), already guarded; the sections follow it.</param>
    public static ChatReply Render(Digest digest, string? prose = null)
    {
        var body = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(prose))
            body.AppendLine(prose.Trim()).AppendLine();
        Section(body, "Open proposals", digest.Open, v =>
            $"#{GovernanceService.ShortId(v.Id)} {v.Title}: {ProposalFormat.State(v.State)}, {ProposalFormat.Ends(v, digest.GeneratedAt)}, {QuorumProgress(v)}");
        Section(body, "Ending within 24 h", digest.EndingSoon, v => $"#{GovernanceService.ShortId(v.Id)} {v.Title}: {ProposalFormat.Ends(v, digest.GeneratedAt)}");
        Section(body, "Since the last digest", digest.Changes, c => $"#{GovernanceService.ShortId(c.ProposalId)} {c.Title}: {NotificationKinds.Describe(c.Kind)}");
        return new ChatReply($"📰 {digest.Dao} digest", body.ToString().TrimEnd())
        {
            Footer = $"Since {ProposalFormat.Time(digest.Since, estimate: false)} · /proposal <id> for details",
        };
    }

    /// <summary>"quorum reached" once it is (the percentage past 100 says nothing useful), else how far along.</summary>
    internal static string QuorumProgress(ProposalView view) =>
        view.QuorumProgress >= view.Quorum ? "quorum reached" : $"{view.QuorumPercent}% of quorum";

    private static void Section<T>(StringBuilder body, string heading, IReadOnlyList<T> items, Func<T, string> line)
    {
        body.Append(heading).Append(':');
        if (items.Count == 0)
        {
            body.AppendLine(" none").AppendLine();
            return;
        }

        body.AppendLine();
        foreach (var item in items.Take(MaxItems))
            body.Append("• ").AppendLine(Clip(line(item)));
        if (items.Count > MaxItems)
            body.Append("• … and ").Append(items.Count - MaxItems).AppendLine(" more");
        body.AppendLine();
    }

    private static string Clip(string text)
    {
        var clean = ProposalText.StripControl(text).ReplaceLineEndings(" ");
        return clean.Length <= 200 ? clean : clean[..199] + "…";
    }
}
