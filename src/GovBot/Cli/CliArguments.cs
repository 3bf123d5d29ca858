namespace GovBot.Cli;

/// <summary>The parsed command line: a verb, its positional arguments, and the global options.</summary>
public sealed record CliArguments(string Verb, IReadOnlyList<string> Positionals, string? Dao, string? ConfigFile, bool Json, IReadOnlyDictionary<string, string> Options)
{
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal) { "--dao", "--config", "--simulate", "--state", "--urls" };
    private static readonly HashSet<string> FlagOptions = new(StringComparer.Ordinal) { "--json", "--verbose" };

    public bool Verbose => Options.ContainsKey("--verbose");

    public string? Option(string name) => Options.TryGetValue(name, out var value) ? value : null;

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        string? verb = null;
        var positionals = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 ? arg[..eq] : arg;
                if (FlagOptions.Contains(name))
                {
                    options[name] = "true";
                    continue;
                }

                if (!ValueOptions.Contains(name))
                    throw new UserInputException($"Unknown option {name}. Options: --dao NAME, --config FILE, --json, --simulate ID, --verbose.");
                string value;
                if (eq > 0)
                    value = arg[(eq + 1)..];
                else if (i + 1 < args.Count)
                    value = args[++i];
                else
                    throw new UserInputException($"{name} needs a value.");
                options[name] = value;
                continue;
            }

            if (verb is null)
                verb = arg.ToLowerInvariant();
            else
                positionals.Add(arg);
        }

        return new CliArguments(verb ?? "run", positionals, options.GetValueOrDefault("--dao"), options.GetValueOrDefault("--config"),
            options.ContainsKey("--json"), options);
    }

    public string Positional(int index, string what, string example) =>
        index < Positionals.Count ? Positionals[index] : throw new UserInputException($"{Verb} needs {what}, e.g. govbot {example}.");
}
