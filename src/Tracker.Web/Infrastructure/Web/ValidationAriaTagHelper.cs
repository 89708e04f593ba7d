using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>
/// Ties each field to its error for screen readers: the error message (<c>asp-validation-for</c>) gets an id, and
/// a field with an error gets <c>aria-invalid</c> and <c>aria-describedby</c> pointing at it.
/// </summary>
[HtmlTargetElement("input", Attributes = For)]
[HtmlTargetElement("select", Attributes = For)]
[HtmlTargetElement("textarea", Attributes = For)]
[HtmlTargetElement("span", Attributes = ValidationFor)]
public sealed class ValidationAriaTagHelper : TagHelper
{
    private const string For = "asp-for";
    private const string ValidationFor = "asp-validation-for";

    [HtmlAttributeName(For)] public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression? Field { get; set; }
    [HtmlAttributeName(ValidationFor)] public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression? Message { get; set; }

    [HtmlAttributeNotBound, ViewContext] public ViewContext ViewContext { get; set; } = null!;

    // After the framework's own helpers have written the id and name.
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if ((Message ?? Field) is not { } expression)
            return;
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(expression.Name);
        var errorId = TagBuilder.CreateSanitizedId(name, "_") + "-error";
        if (Message is not null)
        {
            if (!output.Attributes.ContainsName("id"))
                output.Attributes.SetAttribute("id", errorId);
            return;
        }
        if (ViewContext.ViewData.ModelState.GetFieldValidationState(name) != Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
            return;
        output.Attributes.SetAttribute("aria-invalid", "true");
        var describedBy = output.Attributes.TryGetAttribute("aria-describedby", out var existing) ? $"{existing.Value} {errorId}" : errorId;
        output.Attributes.SetAttribute("aria-describedby", describedBy);
    }
}
