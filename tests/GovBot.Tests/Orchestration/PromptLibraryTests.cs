using GovBot.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.Tests.Orchestration;

public sealed class PromptLibraryTests : IDisposable
{
    private readonly string _copy = Directory.CreateTempSubdirectory("govbot-prompts-").FullName;

    [Fact]
    public void RepoPrompts_LoadWithVersionsAndInputVariables()
    {
        var library = PromptLibrary.Load(PromptLibrary.Locate());

        Assert.All(new[] { PromptLibrary.SummarizeProposal, PromptLibrary.AnswerQuestion, PromptLibrary.WriteDigest }, name =>
        {
            var prompt = library[name];
            Assert.Matches("^[0-9a-f]{16}$", prompt.Version);
            Assert.False(string.IsNullOrWhiteSpace(prompt.Config.Description));
            Assert.NotEmpty(prompt.Config.InputVariables);
            Assert.Contains("default", prompt.Config.ExecutionSettings.Keys);
            Assert.Contains("<message role=\"system\">", prompt.Config.Template, StringComparison.Ordinal);
            // Semantic Kernel only splits a prompt into system and user messages when it is well-formed XML; otherwise
            // the whole text silently becomes one user message and the system rules lose their standing.
            var rendered = System.Text.RegularExpressions.Regex.Replace(prompt.Config.Template, @"\{\{\$\w+\}\}", "value");
            var root = System.Xml.Linq.XElement.Parse("<root>" + rendered + "</root>");
            Assert.Equal(["system", "user"], root.Elements("message").Select(m => (string?)m.Attribute("role")));
        });
        Assert.Contains("proposal_text", library[PromptLibrary.SummarizeProposal].Config.Template, StringComparison.Ordinal);
        Assert.NotNull(library[PromptLibrary.AnswerQuestion].Config.DefaultExecutionSettings?.FunctionChoiceBehavior);
    }

    [Fact]
    public void EditingAPromptFile_ChangesOnlyThatPromptsVersion()
    {
        CopyPrompts();
        var before = PromptLibrary.Load(_copy);

        File.AppendAllText(Path.Combine(_copy, PromptLibrary.SummarizeProposal, "skprompt.txt"), " ");
        var afterTemplate = PromptLibrary.Load(_copy);
        File.WriteAllText(Path.Combine(_copy, PromptLibrary.AnswerQuestion, "config.json"),
            File.ReadAllText(Path.Combine(_copy, PromptLibrary.AnswerQuestion, "config.json")).Replace("0.1", "0.2", StringComparison.Ordinal));
        var afterConfig = PromptLibrary.Load(_copy);

        Assert.NotEqual(before[PromptLibrary.SummarizeProposal].Version, afterTemplate[PromptLibrary.SummarizeProposal].Version);
        Assert.Equal(before[PromptLibrary.AnswerQuestion].Version, afterTemplate[PromptLibrary.AnswerQuestion].Version);
        Assert.NotEqual(before[PromptLibrary.AnswerQuestion].Version, afterConfig[PromptLibrary.AnswerQuestion].Version);
        Assert.Equal(before[PromptLibrary.WriteDigest].Version, afterConfig[PromptLibrary.WriteDigest].Version);
        Assert.Equal(before[PromptLibrary.WriteDigest].Version, PromptLibrary.Load(_copy)[PromptLibrary.WriteDigest].Version);
    }

    [Fact]
    public void MissingRequiredPrompt_FailsStartWithTheFolderNamed()
    {
        CopyPrompts();
        Directory.Delete(Path.Combine(_copy, PromptLibrary.WriteDigest), recursive: true);

        var error = Assert.Throws<ConfigurationException>(() => PromptLibrary.Load(_copy));

        Assert.Contains("write_digest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedPromptConfig_StopsStart_BeforeAnyQuestion_NamingTheFile()
    {
        CopyPrompts();
        File.WriteAllText(Path.Combine(_copy, PromptLibrary.AnswerQuestion, "config.json"), "{ \"description\": ");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Llm:Provider"] = "None" }).Build();

        var error = Assert.Throws<ConfigurationException>(() => { new ServiceCollection().AddOrchestration(configuration, _copy); });

        Assert.Equal("prompts/answer_question/config.json", error.Key);
    }

    private void CopyPrompts()
    {
        var source = PromptLibrary.Locate();
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);
}
