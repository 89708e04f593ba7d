using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>
/// A validation summary with no error carries an empty <c>&lt;li style="display:none"&gt;</c> (a placeholder for
/// client-side validation, which these pages do not have): the one inline style the pages would otherwise send, and
/// their Content Security Policy (<c>style-src 'self'</c>) refuses it. It becomes <c>&lt;li hidden&gt;</c>.
/// </summary>
[HtmlTargetElement("*", Attributes = "asp-validation-summary")]
public sealed class ValidationSummaryWithoutInlineStyleTagHelper : TagHelper
{
    private const string Placeholder = "<li style=\"display:none\"></li>";

    // After the framework's ValidationSummaryTagHelper has written the list.
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var list = output.PostContent.GetContent();
        if (list.Contains(Placeholder, StringComparison.Ordinal))
            output.PostContent.SetHtmlContent(list.Replace(Placeholder, "<li hidden></li>", StringComparison.Ordinal));
    }
}
