using System.Globalization;
using System.Reflection;
using Tracker.Domain;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Tests;

public sealed class ErrorMessagesTests
{
    private static readonly string[] Codes = [.. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void Every_refusal_code_has_its_words_on_a_page_in_each_language(string culture)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var missing = Codes.Where(c => ErrorMessages.For(c, [1, 2, 3]) is not { Length: > 0 }).ToList();
            Assert.True(missing.Count == 0, $"No {culture} words for: {string.Join(", ", missing)}");
            Assert.Equal(Codes.Order(), ErrorMessages.Codes.Order());
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void A_page_says_a_refusal_in_chinese_with_its_figures_and_the_api_keeps_english()
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        try
        {
            Assert.Equal("最多只能选择 3 项，请减少选择。", ErrorMessages.For(ErrorCodes.BallotTooMany, [3]));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
        var refusal = Assert.Throws<DomainException>(() => new CongressSession { Name = "s", ItemsToChoose = 1, Mode = BallotMode.ChooseUpTo, CandidateIds = [1, 2], OpensAt = DateTimeOffset.MinValue, ClosesAt = DateTimeOffset.MaxValue }
            .Check([new BallotChoice { CandidateId = 1, Choice = VoteChoice.For }, new BallotChoice { CandidateId = 2, Choice = VoteChoice.For }], DateTimeOffset.UnixEpoch));
        Assert.Equal("Choose at most 1 candidates.", refusal.Message);
        Assert.Equal(ErrorCodes.BallotTooMany, refusal.Code);
    }
}
