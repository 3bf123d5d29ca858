using System.Buffers;
using GovBot.Web;
using GovBot.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GovBot.Chat.Discord;

/// <summary>
/// POST /discord/interactions: Discord's outgoing webhook for slash commands. Verifies the signature on the raw
/// body, then answers PING, runs commands (inline when they finish within the inline window, else deferred and
/// edited later by <see cref="DiscordCommandRunner"/>), and answers autocomplete for proposal ids.
/// </summary>
public static class DiscordInteractionsEndpoint
{
    public const string Path = "/discord/interactions";

    /// <summary>Interactions are small JSON documents; anything bigger is not from Discord.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const int MaxAutocompleteChoices = 25;
    private const int ChoiceTextLimit = 100;

    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Path, HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        [FromServices] DiscordSignatureVerifier verifier,
        [FromServices] DiscordCommandRunner runner,
        [FromServices] IProposalIdSuggester suggester,
        [FromServices] DiscordInteractionTimings timings,
        [FromServices] TimeProvider timeProvider,
        [FromServices] IOptions<DiscordOptions> options,
        [FromServices] ILoggerFactory loggerFactory)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
            return Error(StatusCodes.Status413PayloadTooLarge, "request body too large");

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = await RequestBody.ReadCappedAsync(context.Request.Body, buffer, MaxBodyBytes, context.RequestAborted);
            if (length > MaxBodyBytes)
                return Error(StatusCodes.Status413PayloadTooLarge, "request body too large");
            var body = buffer.AsMemory(0, length);

            var signature = context.Request.Headers["X-Signature-Ed25519"].ToString();
            var timestamp = context.Request.Headers["X-Signature-Timestamp"].ToString();
            if (!verifier.Verify(signature, timestamp, body.Span))
                return Error(StatusCodes.Status401Unauthorized, "invalid request signature");

            var interaction = DiscordInteraction.TryParse(body.Span, out var parseError);
            if (interaction is null)
                return Error(StatusCodes.Status400BadRequest, parseError ?? "unreadable interaction");

            var logger = loggerFactory.CreateLogger(typeof(DiscordInteractionsEndpoint));
            return interaction.Type switch
            {
                DiscordInteractionType.Ping => Respond(new DiscordInteractionResponse(DiscordInteractionResponseType.Pong)),
                DiscordInteractionType.ApplicationCommand when interaction.CommandName.Length > 0 =>
                    await RunCommandAsync(context, interaction, runner, timings, timeProvider, options.Value, logger),
                DiscordInteractionType.ApplicationCommandAutocomplete =>
                    await AutocompleteAsync(interaction, suggester, timings, logger, context.RequestAborted),
                _ => Error(StatusCodes.Status400BadRequest, $"unsupported interaction type {interaction.Type}"),
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<IResult> RunCommandAsync(
        HttpContext context, DiscordInteraction interaction, DiscordCommandRunner runner, DiscordInteractionTimings timings,
        TimeProvider timeProvider, DiscordOptions options, ILogger logger)
    {
        var request = interaction.ToChatRequest();
        var handler = context.RequestServices.GetRequiredService<IChatCommandHandler>();
        var work = runner.Start(request);

        if (!handler.IsSlow(request.Command))
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var finished = await Task.WhenAny(work, Task.Delay(timings.InlineWindow, timeProvider, window.Token));
            await window.CancelAsync();
            if (finished == work)
            {
                ChatReply reply;
                try
                {
                    reply = await work;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Discord command {Command} failed", request.Command);
                    reply = DiscordCommandRunner.FailureReply;
                }
                var message = DiscordEmbedRenderer.Render(reply);
                // "Slow down" is for the one user who was too fast, not for the whole channel to read.
                if (reply.Kind == ReplyKind.RateLimited)
                    message = message with { Flags = DiscordMessage.EphemeralFlag };
                return Respond(new DiscordInteractionResponse(DiscordInteractionResponseType.ChannelMessageWithSource, message));
            }
        }

        var applicationId = interaction.ApplicationId ?? options.ApplicationId ?? "";
        runner.CompleteDeferred(applicationId, interaction.Token, work, request.Command);
        return Respond(new DiscordInteractionResponse(DiscordInteractionResponseType.DeferredChannelMessageWithSource));
    }

    private static async Task<IResult> AutocompleteAsync(
        DiscordInteraction interaction, IProposalIdSuggester suggester, DiscordInteractionTimings timings, ILogger logger, CancellationToken requestAborted)
    {
        IReadOnlyList<ProposalIdSuggestion> suggestions = [];
        if (interaction.FocusedOption == "id")
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            timeout.CancelAfter(timings.AutocompleteTimeout);
            try
            {
                var prefix = interaction.Options.GetValueOrDefault("id") ?? "";
                var dao = interaction.Options.GetValueOrDefault("dao") is { Length: > 0 } d ? d : null;
                suggestions = await suggester.SuggestAsync(dao, interaction.ChatId, prefix, MaxAutocompleteChoices, timeout.Token).WaitAsync(timeout.Token);
            }
            catch (Exception e)
            {
                // An empty list still answers Discord in time; the user can type the id out.
                logger.LogWarning(e, "Proposal id autocomplete failed");
            }
        }

        var choices = suggestions
            .Where(s => s.Value.Length is > 0 and <= ChoiceTextLimit)
            .Take(MaxAutocompleteChoices)
            .Select(s => new DiscordAutocompleteChoice(
                DiscordText.Clip(string.IsNullOrWhiteSpace(s.Name) ? s.Value : s.Name.Trim(), ChoiceTextLimit), s.Value))
            .ToList();
        return Respond(new DiscordInteractionResponse(DiscordInteractionResponseType.ApplicationCommandAutocompleteResult, new { choices }));
    }

    private static IResult Respond(DiscordInteractionResponse response) => TypedResults.Json(response, DiscordJson.Options);

    private static IResult Error(int status, string message) =>
        TypedResults.Json(new { error = message }, DiscordJson.Options, statusCode: status);
}
